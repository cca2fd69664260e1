import { readFileSync } from 'node:fs';
import { isProcessAlive } from '../../src/main/core/stdio/kill-process-tree';

/**
 * Alive and not a zombie. In this container PID 1 does not reap orphans, so a killed
 * grandchild lingers as a zombie that kill(pid, 0) still finds; it runs nothing.
 */
export function isRunning(pid: number): boolean {
  if (!isProcessAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Polls until every pid is gone; returns those still running after `timeoutMs`. */
export async function waitGone(pids: number[], timeoutMs = 3000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter((pid) => isRunning(pid));
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    alive = alive.filter((pid) => isRunning(pid));
  }
  return alive;
}

/** Resolves once `check` holds, or rejects after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
