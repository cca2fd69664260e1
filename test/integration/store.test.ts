import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../src/main/core/store/database';
import { MIGRATIONS } from '../../src/main/core/store/migrations';
import { KeyFileCipher } from '../../src/main/core/store/secret-cipher';
import { ServerStore } from '../../src/main/core/store/server-store';
import type { ServerConfig } from '../../src/shared/server-config';
import { validateServerInput } from '../../src/shared/server-config';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'patchbay-store-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function config(name: string, port: number, extra: object = {}): ServerConfig {
  const v = validateServerInput({ name, command: 'node', args: ['server.js'], ...extra });
  if (!v.ok) throw new Error('bad test config');
  return { ...v.value, id: `id-${name}`, port, createdAt: 1, updatedAt: 1 };
}

describe('the database', () => {
  it('migrates an empty file to the latest schema', () => {
    const db = openDatabase(join(tempDir(), 'p.db'));
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it.each(MIGRATIONS.map((_, i) => i + 1).slice(0, -1))(
    'migrates from version %i keeping the data',
    (from) => {
      const file = join(tempDir(), 'p.db');
      const old = openDatabase(file, MIGRATIONS.slice(0, from));
      expect(schemaVersion(old)).toBe(from);
      old
        .prepare(
          `INSERT INTO servers (id, name, port, settings, position, created_at, updated_at) VALUES ('a', 'kept', 7301, '{"env":[]}', 1, 1, 1)`,
        )
        .run();
      old.close();
      const db = openDatabase(file);
      expect(schemaVersion(db)).toBe(MIGRATIONS.length);
      expect(db.prepare('SELECT name, port FROM servers').all()).toEqual([{ name: 'kept', port: 7301 }]);
      db.close();
    },
  );

  it('refuses a file that is not a database, leaving it untouched with a backup copy', () => {
    const dir = tempDir();
    const file = join(dir, 'p.db');
    writeFileSync(file, 'this is not sqlite at all, just some text that is long enough to matter');
    expect(() => openDatabase(file)).toThrow(/Cannot open the database .*left as it is; a copy is at/);
    expect(readFileSync(file, 'utf8')).toMatch(/^this is not sqlite/);
    expect(readdirSync(dir).some((f) => f.startsWith('p.db.broken-'))).toBe(true);
  });

  it('refuses a database from a newer Patchbay', () => {
    const file = join(tempDir(), 'p.db');
    openDatabase(file, [...MIGRATIONS, 'CREATE TABLE future (x)']).close();
    expect(() => openDatabase(file)).toThrow(/newer Patchbay/);
  });
});

describe('ServerStore', () => {
  it('stores secrets encrypted: the raw files never hold them', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'p.db'));
    const store = new ServerStore(db, new KeyFileCipher(join(dir, 'secret.key')));
    const secret = 'ghp_SuperSecretValue_123456';
    store.insert(
      config('gh', 7301, {
        env: [
          { key: 'GITHUB_TOKEN', value: secret, secret: true },
          { key: 'MODE', value: 'plain-value' },
        ],
        token: 'bearer-token-xyz',
      }),
    );
    const back = store.get('id-gh')!;
    expect(back.env).toEqual([
      { key: 'GITHUB_TOKEN', value: secret, secret: true },
      { key: 'MODE', value: 'plain-value', secret: false },
    ]);
    expect(back.token).toBe('bearer-token-xyz');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f)).toString('latin1');
      expect(bytes.includes(secret), f).toBe(false);
      expect(bytes.includes('bearer-token-xyz'), f).toBe(false);
    }
    expect(readFileSync(join(dir, 'p.db')).toString('latin1')).toContain('plain-value');
  });

  it('keeps the key file private (0600)', () => {
    const dir = tempDir();
    new KeyFileCipher(join(dir, 'secret.key'));
    const mode = statSync(join(dir, 'secret.key')).mode & 0o777;
    expect(mode).toBe(0o600);
  });
});
