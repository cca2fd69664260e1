import { killProcessTree } from './kill-process-tree';

/**
 * Every live child process group we spawned. The engine stops children gracefully;
 * this is the last resort when our own process exits first (uncaught error,
 * process.exit from a shell): kill what is left so nothing is orphaned.
 */
const live = new Set<number>();
let hooked = false;

/** Records a spawned child's pid until it exits. */
export function trackChild(pid: number): void {
  live.add(pid);
  if (!hooked) {
    hooked = true;
    process.once('exit', killAllChildrenSync);
  }
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
