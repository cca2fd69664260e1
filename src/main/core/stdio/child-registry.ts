import { killProcessTree } from './kill-process-tree';

/**
 * Every live child process group we spawned. The engine stops children gracefully;
 * this is the safety net when our own process goes first: on exit (uncaught error,
 * process.exit) and on SIGINT/SIGTERM/SIGHUP when no shell installed its own graceful
 * handler, every group left is killed so nothing is orphaned.
 */
const live = new Set<number>();
let hooked = false;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Records a spawned child's pid until it exits. */
export function trackChild(pid: number): void {
  live.add(pid);
  if (hooked) return;
  hooked = true;
  process.once('exit', killAllChildrenSync);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

/** Forgets a child that has exited. */
export function untrackChild(pid: number): void {
  live.delete(pid);
}

/** Pids of children still running. */
export function liveChildren(): number[] {
  return [...live];
}

/** SIGKILLs every tracked process group; synchronous, so it works inside an 'exit' handler. */
export function killAllChildrenSync(): void {
  for (const pid of live) {
    try {
      killProcessTree(pid, 'SIGKILL');
    } catch {
      // Best effort on the way out: nothing else can be done from an exit handler.
    }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  // A shell listening too (the CLI, Electron) stops servers gracefully and exits itself.
  if (process.listenerCount(signal) > 1) return;
  killAllChildrenSync();
  for (const s of SIGNALS) process.off(s, onSignal);
  // Nobody else handles it: end the way the signal would have ended us.
  process.kill(process.pid, signal);
}
