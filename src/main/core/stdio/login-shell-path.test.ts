// With a stand-in runner; the default runner against real shell scripts is an integration
// test (test/integration/login-shell-run.test.ts): the unit tier starts no process.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, type PatchbayError } from '../errors';
import { getSpawnEnvPath, loginShellPath, mergePathLists, type RunShell } from './login-shell-path';

const JUNK_AROUND_MARKERS = [
  'Last login: Mon Jan  1 09:00:00 on ttys001',
  '\x1b[1;32mWelcome back\x1b[0m  __PATCHBAY',
  '',
  '__PATCHBAY_PATH__/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin__PATCHBAY_PATH__',
  'nvm: using node v22',
  '',
].join('\n');

describe('loginShellPath', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the login shell on macOS and puts its PATH first, deduplicated', async () => {
    const run = vi.fn<RunShell>().mockResolvedValue(JUNK_AROUND_MARKERS);
    const merged = await loginShellPath({
      platform: 'darwin',
      env: { SHELL: '/bin/bash', PATH: '/usr/bin:/bin:/Applications/Patchbay.app/Contents/MacOS' },
      run,
    });
    expect(merged).toBe(
      '/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin:/Applications/Patchbay.app/Contents/MacOS',
    );
    expect(run).toHaveBeenCalledTimes(1);
    const [shell, args, timeoutMs] = run.mock.calls[0] ?? [];
    expect(shell).toBe('/bin/bash');
    expect(args).toEqual(['-ilc', 'printf "\\n__PATCHBAY_PATH__%s__PATCHBAY_PATH__\\n" "$PATH"']);
    expect(timeoutMs).toBe(5_000);
  });

  it('defaults to /bin/zsh when SHELL is unset', async () => {
    const run = vi.fn<RunShell>().mockResolvedValue('__PATCHBAY_PATH__/x__PATCHBAY_PATH__');
    expect(await loginShellPath({ platform: 'darwin', env: {}, run })).toBe('/x');
    expect(run.mock.calls[0]?.[0]).toBe('/bin/zsh');
  });

  it('returns undefined and reports a timeout when the shell hangs', async () => {
    vi.useFakeTimers();
    const errors: PatchbayError[] = [];
    const run = vi.fn<RunShell>(() => new Promise<string>(() => undefined));
    const result = loginShellPath({ platform: 'darwin', env: {}, run, onError: (e) => errors.push(e) });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(errors).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toBeUndefined();
    expect(errors.map((e) => e.code)).toEqual([ErrorCode.Timeout]);
  });

  it('returns undefined when the runner fails', async () => {
    const errors: PatchbayError[] = [];
    const run = vi.fn<RunShell>().mockRejectedValue(new Error('spawn /bin/zsh ENOENT'));
    expect(
      await loginShellPath({ platform: 'darwin', env: {}, run, onError: (e) => errors.push(e) }),
    ).toBeUndefined();
    expect(errors[0]?.code).toBe(ErrorCode.SpawnFailed);
    expect(errors[0]?.message).toBe('spawn /bin/zsh ENOENT');
  });

  it('returns undefined when the output has no marked PATH', async () => {
    const errors: PatchbayError[] = [];
    for (const output of ['command not found: printf', '__PATCHBAY_PATH____PATCHBAY_PATH__']) {
      const run = vi.fn<RunShell>().mockResolvedValue(output);
      expect(await loginShellPath({ platform: 'darwin', env: {}, run, onError: (e) => errors.push(e) })).toBe(
        undefined,
      );
    }
    expect(errors).toHaveLength(2);
  });

  it('skips Linux unless PATCHBAY_LOGIN_SHELL_PATH=1, and never runs on Windows', async () => {
    const run = vi.fn<RunShell>().mockResolvedValue('__PATCHBAY_PATH__/login__PATCHBAY_PATH__');
    expect(await loginShellPath({ platform: 'linux', env: { PATH: '/usr/bin' }, run })).toBeUndefined();
    expect(await loginShellPath({ platform: 'win32', env: { PATCHBAY_LOGIN_SHELL_PATH: '1' }, run })).toBe(
      undefined,
    );
    expect(run).not.toHaveBeenCalled();
    const optedIn = { PATH: '/usr/bin', PATCHBAY_LOGIN_SHELL_PATH: '1' };
    expect(await loginShellPath({ platform: 'linux', env: optedIn, run })).toBe('/login:/usr/bin');
  });
});

describe('mergePathLists', () => {
  it('keeps the first occurrence of each entry and drops empty ones', () => {
    expect(mergePathLists('/a:/b:', undefined, ':/b:/c', '/a')).toBe('/a:/b:/c');
    expect(mergePathLists()).toBe('');
  });
});

describe('getSpawnEnvPath', () => {
  it.skipIf(process.platform === 'darwin' || process.env.PATCHBAY_LOGIN_SHELL_PATH === '1')(
    'falls back to PATH where no login shell is asked, and computes it once',
    async () => {
      const first = getSpawnEnvPath();
      expect(getSpawnEnvPath()).toBe(first);
      expect(await first).toBe(process.env.PATH);
    },
  );
});
