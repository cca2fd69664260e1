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

/** Told of every child spawned and gone, e.g. to write a ledger a later launch can reap from. */
export interface ChildListener {
  spawned(pid: number, command: string): void;
  exited(pid: number): void;
}
let listener: ChildListener | undefined;

/** Sets (or clears) the one listener for child spawns and exits. */
export function setChildListener(l: ChildListener | undefined): void {
  listener = l;
}

/** Records a spawned child's pid until it exits. */
export function trackChild(pid: number, command = ''): void {
  live.add(pid);
  listener?.spawned(pid, command);
  if (hooked) return;
  hooked = true;
  process.once('exit', killAllChildrenSync);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

/** Forgets a child that has exited. */
export function untrackChild(pid: number): void {
  live.delete(pid);
  listener?.exited(pid);
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
