// Process bookkeeping for the bench, Linux only (/proc): memory and CPU of a process tree,
// descendants, and killing whole trees (process groups included) so nothing outlives a run.

import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** @param {string} path */
function readOr(path, fallback = '') {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** @param {number} pid */
export function alive(pid) {
  const stat = readOr(`/proc/${pid}/stat`);
  if (stat === '') return false;
  // A zombie has exited; it only waits to be reaped.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** Children of one process (its main thread; Node and shells spawn from there). @param {number} pid */
function childrenFast(pid) {
  const text = readOr(`/proc/${pid}/task/${pid}/children`, null);
  if (text === null) return null;
  return text.trim().split(/\s+/).filter(Boolean).map(Number);
}

/** ppid of every process, by a full /proc scan (slow, exact: children of any thread). */
function ppidMap() {
  /** @type {Map<number, number[]>} */
  const kids = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readOr(`/proc/${name}/stat`);
    if (stat === '') continue;
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    const list = kids.get(ppid);
    if (list) list.push(Number(name));
    else kids.set(ppid, [Number(name)]);
  }
  return kids;
}

/**
 * A process and all its descendants. `exact` scans all of /proc (children of any thread);
 * otherwise it walks main-thread children files, which is cheap enough to sample often.
 * @param {number[]} roots @param {boolean} [exact]
 */
export function tree(roots, exact = false) {
  const kids = exact ? ppidMap() : undefined;
  const seen = new Set();
  const stack = [...roots];
  while (stack.length > 0) {
    const pid = stack.pop();
    if (pid === undefined || seen.has(pid)) continue;
    if (readOr(`/proc/${pid}/stat`) === '') continue;
    seen.add(pid);
    const children = kids ? (kids.get(pid) ?? []) : (childrenFast(pid) ?? []);
    stack.push(...children);
  }
  return [...seen];
}

/** VmRSS and VmHWM in bytes (0 when gone). @param {number} pid */
export function memoryOf(pid) {
  const status = readOr(`/proc/${pid}/status`);
  const kb = (key) => {
    const m = status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Memory of a tree: the root's own figures and the sums over the tree. @param {number[]} roots */
export function treeMemory(roots) {
  const pids = tree(roots);
  let rss = 0;
  let hwm = 0;
  for (const pid of pids) {
    const m = memoryOf(pid);
    rss += m.rss;
    hwm += m.hwm;
  }
  return { pids: pids.length, rss, hwmSum: hwm };
}

/** User+system CPU time in ms of one process (its own threads; not reaped children). @param {number} pid */
export function cpuMsOf(pid) {
  const stat = readOr(`/proc/${pid}/stat`);
  if (stat === '') return 0;
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the state field.
  return ((Number(rest[11]) + Number(rest[12])) * 1000) / CLK_TCK;
}

/** CPU ms of every process in a tree now. @param {number[]} roots */
export function treeCpuMs(roots) {
  let sum = 0;
  for (const pid of tree(roots)) sum += cpuMsOf(pid);
  return sum;
}

/**
 * Kills a tree: SIGTERM to each process and each process group in it, then SIGKILL to
 * whatever is still there after `graceMs`. Resolves once all are gone (or after SIGKILL).
 * @param {number[]} roots @param {number} [graceMs]
 */
export async function killTree(roots, graceMs = 3000) {
  let pids = tree(roots, true);
  const signal = (/** @type {NodeJS.Signals} */ sig) => {
    for (const pid of pids) {
      for (const target of [-pid, pid]) {
        try {
          process.kill(target, sig);
        } catch {
          // Not a group leader, or gone already.
        }
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    // Descendants started meanwhile (a respawn) are caught by re-walking.
    pids = [...new Set([...pids.filter(alive), ...tree(roots, true)])].filter(alive);
    if (pids.length === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  signal('SIGKILL');
  const hardDeadline = Date.now() + 2000;
  while (pids.some(alive) && Date.now() < hardDeadline) await new Promise((r) => setTimeout(r, 20));
}

/** Processes below this one (the bench itself) still running, by exact scan. */
export function strayDescendants() {
  return tree([process.pid], true).filter((p) => p !== process.pid && alive(p));
}

/**
 * Spawns a target in its own process group (so it and what it starts can be signalled at
 * once), keeping the tail of its output for error messages.
 * @param {string} file @param {string[]} args @param {{ env?: NodeJS.ProcessEnv, cwd?: string }} [opts]
 */
export function spawnTarget(file, args, opts = {}) {
  const child = spawn(file, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (/** @type {Buffer} */ chunk) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('error', (err) => keep(Buffer.from(`spawn error: ${err.message}\n`)));
  /** @type {Promise<{code: number | null, signal: string | null}>} */
  const exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve({ code, signal: sig })));
  return {
    child,
    pid: /** @type {number} */ (child.pid),
    exited,
    output: () => tail,
  };
}
