// loginShellPath's default runner against stand-in "login shell" scripts: real processes, so
// here rather than in the unit tier (src/main/core/stdio/login-shell-path.test.ts).
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode, type PatchbayError } from '../../src/main/core/errors';
import { loginShellPath } from '../../src/main/core/stdio/login-shell-path';

// The default runner, against a stand-in "login shell" script.
describe.skipIf(process.platform === 'win32')('loginShellPath with a real shell process', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'patchbay-shell-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function fakeShell(name: string, body: string): string {
    const file = path.join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  }

  it('runs the script like a login shell would, with TERM=dumb', async () => {
    // Like a profile: prints junk, prepends to PATH, then runs our -c script.
    const shell = fakeShell(
      'login.sh',
      [
        'echo "profile junk"',
        '[ "$1" = "-ilc" ] || exit 3',
        'PATH="/from-login:/term-$TERM:$PATH"',
        'eval "$2"',
      ].join('\n'),
    );
    const env = {
      SHELL: shell,
      PATH: '/usr/bin:/bin',
      TERM: 'xterm-256color',
      PATCHBAY_LOGIN_SHELL_PATH: '1',
    };
    expect(await loginShellPath({ platform: 'linux', env })).toBe('/from-login:/term-dumb:/usr/bin:/bin');
  });

  it('gives up at the timeout even if the shell ignores SIGTERM', async () => {
    const shell = fakeShell('hang.sh', "trap '' TERM\nsleep 30 & wait");
    const errors: PatchbayError[] = [];
    const started = Date.now();
    const env = { SHELL: shell, PATCHBAY_LOGIN_SHELL_PATH: '1' };
    const result = await loginShellPath({
      platform: 'linux',
      env,
      timeoutMs: 300,
      onError: (e) => errors.push(e),
    });
    expect(result).toBeUndefined();
    // Far below the 30 s the shell would take: it was killed, not waited for (a wide bound).
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(errors[0]?.code).toBe(ErrorCode.Timeout);
  });

  it('stops reading a shell that prints without end', async () => {
    const shell = fakeShell('flood.sh', 'while :; do echo "0123456789abcdef0123456789abcdef"; done');
    const errors: PatchbayError[] = [];
    const env = { SHELL: shell, PATCHBAY_LOGIN_SHELL_PATH: '1' };
    const result = await loginShellPath({
      platform: 'linux',
      env,
      timeoutMs: 4_000,
      onError: (e) => errors.push(e),
    });
    expect(result).toBeUndefined();
    expect(errors[0]?.message).toContain('printed more than 1048576 bytes');
  });

  it('reports a shell that exits with an error', async () => {
    const shell = fakeShell('fail.sh', 'exit 7');
    const errors: PatchbayError[] = [];
    const env = { SHELL: shell, PATCHBAY_LOGIN_SHELL_PATH: '1' };
    expect(await loginShellPath({ platform: 'linux', env, onError: (e) => errors.push(e) })).toBeUndefined();
    expect(errors[0]?.message).toBe(`${shell} exited with code 7`);
  });
});
