import { spawn } from 'node:child_process';
import path from 'node:path';
import { ErrorCode, PatchbayError } from '../errors';

/** Sends a signal like `process.kill`; signal 0 only probes whether the process exists. */
export type KillFn = (pid: number, signal: NodeJS.Signals | 0) => void;

export type KillProcessTreeDeps = {
  platform?: NodeJS.Platform;
  kill?: KillFn;
  /** Starts `taskkill.exe` with these arguments and does not wait for it. */
  runTaskkill?: (args: string[]) => void;
};

const defaultKill: KillFn = (pid, signal) => {
  process.kill(pid, signal);
};

/** Signals a server and everything it started (npx → node → server); false if it was already gone. */
export function killProcessTree(
  pid: number,
  signal: 'SIGTERM' | 'SIGKILL',
  deps: KillProcessTreeDeps = {},
): boolean {
  // kill(-0) and kill(-1) would hit our own process group or every process we may signal.
  if (!Number.isSafeInteger(pid) || pid <= 1) {
    throw new PatchbayError(
      ErrorCode.InvalidArgument,
      `Refusing to signal process ${pid}: not a child process id`,
    );
  }
  const platform = deps.platform ?? process.platform;
  const kill = deps.kill ?? defaultKill;

  if (platform === 'win32') {
    if (!probeAlive(pid, kill)) return false;
    // Without /F taskkill only asks windows to close, which console servers ignore; callers
    // escalate to SIGKILL (/F) after a grace period, as they would on POSIX.
    const args = ['/pid', String(pid), '/T'];
    if (signal === 'SIGKILL') args.push('/F');
    (deps.runTaskkill ?? runTaskkill)(args);
    return true;
  }

  // The server is spawned `detached: true`, so it leads a process group we can signal at once.
  try {
    kill(-pid, signal);
    return true;
  } catch (err) {
    if (errorCode(err) !== 'ESRCH') throw signalFailed(pid, signal, err);
  }
  // No such group: the process was not spawned detached, or it is gone.
  try {
    kill(pid, signal);
    return true;
  } catch (err) {
    if (errorCode(err) === 'ESRCH') return false;
    throw signalFailed(pid, signal, err);
  }
}

/** Whether a process exists; EPERM means it does, we just may not signal it. */
export function isProcessAlive(pid: number): boolean {
  // Only `pid`: callers pass this straight to `Array#filter`, which would hand us an index.
  return probeAlive(pid, defaultKill);
}

function probeAlive(pid: number, kill: KillFn): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) === 'EPERM';
  }
}

// Detached and unreferenced so a slow taskkill never holds our shutdown. Its errors are ignored
// on purpose: exit 128 just means the tree is already gone, and the caller learns the real outcome
// from the child's 'exit' event (and escalates to /F if it does not come).
function runTaskkill(args: string[]): void {
  // The full path, because spawn searches the current directory first on Windows.
  const systemRoot = process.env.SystemRoot;
  const exe = systemRoot ? path.win32.join(systemRoot, 'System32', 'taskkill.exe') : 'taskkill.exe';
  const child = spawn(exe, args, { detached: true, windowsHide: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}

function errorCode(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
}

function signalFailed(pid: number, signal: string, err: unknown): PatchbayError {
  const reason = err instanceof Error ? err.message : String(err);
  return new PatchbayError(ErrorCode.Internal, `Could not send ${signal} to process ${pid}: ${reason}`, {
    cause: err,
  });
}
