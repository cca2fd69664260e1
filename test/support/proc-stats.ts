import { readFileSync, readdirSync } from 'node:fs';

/**
 * What a process holds, read from /proc (Linux): resident memory, open file descriptors
 * and live descendants. The reliability tests compare these before and after a load.
 */

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid: number = process.pid): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}

/** Open file descriptors (sockets, pipes, files). */
export function fdCount(pid: number = process.pid): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** One /proc/<pid>/stat: parent pid and state letter (Z = zombie). */
function stat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const after = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: after[0]!, ppid: Number(after[1]) };
  } catch {
    return undefined; // gone between readdir and read
  }
}

/**
 * Live (non-zombie) descendants of `pid`: children, grandchildren… A server started in its
 * own process group is still our child by parent pid, so this finds every one we spawned
 * that has not been re-parented (an orphan is found by `orphansOf` instead).
 */
export function descendants(pid: number = process.pid): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (!s || s.state === 'Z') continue;
    const list = children.get(s.ppid) ?? [];
    list.push(Number(name));
    children.set(s.ppid, list);
  }
  const out: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

/** Processes whose command line contains `marker` (to find what outlived its parent). */
export function processesMatching(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmd.includes(marker) && stat(Number(name))?.state !== 'Z') out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

/** Runs a full GC when the runtime exposes one (node --expose-gc), so RSS reads settle. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export const MiB = 1024 * 1024;
