import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runKey } from './run-key';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'patchbay-run-key-'));
  dirs.push(d);
  return d;
}

describe('runKey', () => {
  it('keeps a random key per port in a 0600 file (0700 folder), the same on the next launch', () => {
    const dataDir = join(tempDir(), 'data');
    const warnings: string[] = [];
    const base = { noKey: false, dataDir, warn: (t: string) => warnings.push(t), byDefault: true };
    const first = runKey({ ...base, port: 7301 })!;
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url
    expect(runKey({ ...base, port: 7301 })).toBe(first);
    expect(runKey({ ...base, port: 7302 })).not.toBe(first);
    expect(statSync(join(dataDir, 'run-keys', 'port-7301.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'run-keys')).mode & 0o777).toBe(0o700);
    // Port 0 changes its URL every launch anyway: a fresh key, nothing kept.
    expect(runKey({ ...base, port: 0 })).not.toBe(runKey({ ...base, port: 0 }));
    expect(warnings).toEqual([]);
  });

  it('a chosen key wins: --token-file, then PATCHBAY_TOKEN, then --token (with a warning)', () => {
    const dir = tempDir();
    const file = join(dir, 'key');
    writeFileSync(file, 'from-the-file-123\nignored\n');
    const warnings: string[] = [];
    const base = {
      port: 7301,
      noKey: false,
      dataDir: dir,
      warn: (t: string) => warnings.push(t),
      byDefault: true,
    };
    expect(runKey({ ...base, file, env: 'from-env-12345' })).toBe('from-the-file-123');
    expect(runKey({ ...base, env: 'from-env-12345' })).toBe('from-env-12345');
    expect(warnings).toEqual([]);
    expect(runKey({ ...base, argv: 'from-argv-1234' })).toBe('from-argv-1234');
    expect(warnings.join()).toMatch(/visible to other local users/);
    expect(() => runKey({ ...base, file: join(dir, 'missing') })).toThrow(/cannot read --token-file/);
    expect(() => runKey({ ...base, env: 'short' })).toThrow(/at least 8/);
    expect(() => runKey({ ...base, noKey: true, env: 'from-env-12345' })).toThrow(/--no-key cannot go with/);
  });

  it('--no-key: no key, a warning', () => {
    const warnings: string[] = [];
    expect(
      runKey({ port: 7301, noKey: true, dataDir: tempDir(), warn: (t) => warnings.push(t), byDefault: true }),
    ).toBeUndefined();
    expect(warnings.join()).toMatch(/any local program/);
  });
});
