import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, PatchbayError } from '../../src/main/core/errors';
import { isProcessAlive, killProcessTree, type KillFn } from '../../src/main/core/stdio/kill-process-tree';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`kill ${code}`), { code });
}

/** A `kill` that throws the given errno for the listed pids (negative = process group). */
function fakeKill(failures: Record<number, string> = {}) {
  return vi.fn<KillFn>((pid) => {
    const code = failures[pid];
    if (code !== undefined) throw errno(code);
  });
}

describe('killProcessTree on POSIX', () => {
  it('signals the whole process group', () => {
    const kill = fakeKill();
    expect(killProcessTree(4242, 'SIGTERM', { platform: 'linux', kill })).toBe(true);
    expect(kill.mock.calls).toEqual([[-4242, 'SIGTERM']]);
  });

  it('falls back to the pid when there is no such group', () => {
    const kill = fakeKill({ [-4242]: 'ESRCH' });
    expect(killProcessTree(4242, 'SIGKILL', { platform: 'darwin', kill })).toBe(true);
    expect(kill.mock.calls).toEqual([
      [-4242, 'SIGKILL'],
      [4242, 'SIGKILL'],
    ]);
  });

  it('returns false when the process is already gone', () => {
    const kill = fakeKill({ [-4242]: 'ESRCH', 4242: 'ESRCH' });
    expect(killProcessTree(4242, 'SIGTERM', { platform: 'linux', kill })).toBe(false);
  });

  it('throws other errors as a PatchbayError that keeps the cause', () => {
    const kill = fakeKill({ [-4242]: 'EPERM' });
    const call = () => killProcessTree(4242, 'SIGTERM', { platform: 'linux', kill });
    expect(call).toThrow(PatchbayError);
    expect(call).toThrow('Could not send SIGTERM to process 4242: kill EPERM');
    expect(kill).not.toHaveBeenCalledWith(4242, 'SIGTERM');
  });

  it('refuses pids that would signal our own group or every process', () => {
    const kill = fakeKill();
    for (const pid of [0, 1, -5, 1.5, Number.NaN]) {
      expect(() => killProcessTree(pid, 'SIGKILL', { platform: 'linux', kill })).toThrow(
        expect.objectContaining({ code: ErrorCode.InvalidArgument }),
      );
    }
    expect(kill).not.toHaveBeenCalled();
  });
});

describe('killProcessTree on Windows', () => {
  it('asks taskkill to end the tree, forcefully for SIGKILL', () => {
    const kill = fakeKill();
    const runTaskkill = vi.fn<(args: string[]) => void>();
    expect(killProcessTree(77, 'SIGTERM', { platform: 'win32', kill, runTaskkill })).toBe(true);
    expect(killProcessTree(77, 'SIGKILL', { platform: 'win32', kill, runTaskkill })).toBe(true);
    expect(runTaskkill.mock.calls).toEqual([[['/pid', '77', '/T']], [['/pid', '77', '/T', '/F']]]);
    // Only probes; the signal itself goes through taskkill.
    expect(kill.mock.calls).toEqual([
      [77, 0],
      [77, 0],
    ]);
  });

  it('returns false without running taskkill when the process is gone', () => {
    const runTaskkill = vi.fn<(args: string[]) => void>();
    const kill = fakeKill({ 77: 'ESRCH' });
    expect(killProcessTree(77, 'SIGKILL', { platform: 'win32', kill, runTaskkill })).toBe(false);
    expect(runTaskkill).not.toHaveBeenCalled();
  });
});

describe('isProcessAlive', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('probes with signal 0 and counts EPERM as alive', () => {
    const kill = vi.spyOn(process, 'kill').mockReturnValue(true);
    expect(isProcessAlive(10)).toBe(true);
    expect(kill).toHaveBeenCalledWith(10, 0);
    kill.mockImplementation(() => {
      throw errno('EPERM');
    });
    expect(isProcessAlive(10)).toBe(true);
    kill.mockImplementation(() => {
      throw errno('ESRCH');
    });
    expect(isProcessAlive(10)).toBe(false);
  });

  it('never probes pid 0 or negative pids, which name process groups', () => {
    const kill = vi.spyOn(process, 'kill').mockReturnValue(true);
    expect(isProcessAlive(0)).toBe(false);
    expect(isProcessAlive(-10)).toBe(false);
    expect(kill).not.toHaveBeenCalled();
  });

  it('sees this process, and works as an Array#filter callback', () => {
    expect([process.pid].filter(isProcessAlive)).toEqual([process.pid]);
  });
});

// Orphans are reparented to PID 1, and in containers PID 1 often never reaps them: a SIGKILLed
// grandchild then stays a zombie, which kill(pid, 0) still finds. A zombie runs nothing: gone.
function isGone(pid: number): boolean {
  if (!isProcessAlive(pid)) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

async function waitUntilGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter((pid) => !isGone(pid));
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    alive = alive.filter((pid) => !isGone(pid));
  }
  return alive;
}

describe.skipIf(process.platform === 'win32')('killProcessTree with real processes', () => {
  it('kills a detached child and the grandchild it started', async () => {
    // Like `npx` starting `node server.js`: the grandchild is not ours to track.
    const script = [
      "const { spawn } = require('node:child_process');",
      "const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
      "process.stdout.write(grandchild.pid + '\\n');",
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const child = spawn(process.execPath, ['-e', script], {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const childPid = child.pid;
    let grandchildPid: number | undefined;
    try {
      expect(childPid).toBeTypeOf('number');
      const [firstChunk] = (await once(child.stdout, 'data')) as [Buffer];
      grandchildPid = Number.parseInt(firstChunk.toString('utf8'), 10);
      expect(isProcessAlive(grandchildPid)).toBe(true);

      const exited = once(child, 'exit');
      expect(killProcessTree(childPid ?? 0, 'SIGKILL')).toBe(true);
      expect(await waitUntilGone([childPid ?? 0, grandchildPid], 2_000)).toEqual([]);
      expect(await exited).toEqual([null, 'SIGKILL']);
    } finally {
      // Never leave strays behind if an assertion failed half way.
      for (const pid of [childPid, grandchildPid]) {
        if (pid !== undefined && !isGone(pid)) process.kill(pid, 'SIGKILL');
      }
      child.stdout.destroy();
    }
  });
});
