#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `npm run bench -- --profile`, or any `node --cpu-prof`):
// self time by function and by source file, and inclusive time of chosen functions.
//
//   node bench/profile-summary.mjs <file.cpuprofile> [--top=30] [--match=regex]

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' }, match: { type: 'string' } },
});
if (positionals.length === 0) {
  process.stderr.write(
    'usage: node bench/profile-summary.mjs <file.cpuprofile> [--top=30] [--match=regex]\n',
  );
  process.exit(2);
}
const top = Number(values.top);

for (const file of positionals) {
  /** @type {{ nodes: any[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }} */
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** self µs per node id */
  const self = new Map();
  for (let i = 0; i < prof.samples.length; i++) {
    const id = prof.samples[i];
    self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()]
    .filter(([id]) =>
      ['(idle)', '(program)', '(garbage collector)'].includes(byId.get(id).callFrame.functionName),
    )
    .reduce((acc, [id, us]) => {
      const name = byId.get(id).callFrame.functionName;
      acc[name] = (acc[name] ?? 0) + us;
      return acc;
    }, /** @type {Record<string, number>} */ ({}));
  const busy = total - (idle['(idle)'] ?? 0);

  const short = (/** @type {string} */ url) =>
    url
      .replace(/^file:\/\//, '')
      .replace(/.*node_modules\//, 'npm:')
      .replace(/.*\/out\/main\//, 'patchbay:');
  const fnKey = (/** @type {any} */ cf) =>
    `${cf.functionName || '(anonymous)'}  ${short(cf.url)}:${cf.lineNumber + 1}`;
  const fileKey = (/** @type {any} */ cf) =>
    cf.url ? short(cf.url).replace(/:\d+$/, '') : `(${cf.functionName})`;

  /** @param {(cf: any) => string} keyOf */
  const rank = (keyOf) => {
    const m = new Map();
    for (const [id, us] of self) {
      const k = keyOf(byId.get(id).callFrame);
      m.set(k, (m.get(k) ?? 0) + us);
    }
    return [...m.entries()].sort((a, b) => b[1] - a[1]);
  };
  const pct = (/** @type {number} */ us) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
  const msOf = (/** @type {number} */ us) => `${(us / 1000).toFixed(0).padStart(6)} ms`;

  process.stdout.write(
    `\n${file}\n  ${(total / 1e6).toFixed(2)} s profiled, ${(busy / 1e6).toFixed(2)} s busy`,
  );
  process.stdout.write(
    ` (GC ${msOf(idle['(garbage collector)'] ?? 0).trim()}, program ${msOf(idle['(program)'] ?? 0).trim()})\n`,
  );
  process.stdout.write('\n  self time by source (% of busy):\n');
  for (const [k, us] of rank(fileKey).slice(0, top)) process.stdout.write(`  ${pct(us)} ${msOf(us)}  ${k}\n`);
  process.stdout.write('\n  self time by function:\n');
  for (const [k, us] of rank(fnKey).slice(0, top)) process.stdout.write(`  ${pct(us)} ${msOf(us)}  ${k}\n`);

  if (values.match) {
    // Inclusive time of functions matching the regex (each sample counted once per match).
    const re = new RegExp(values.match);
    const incl = new Map();
    for (const [id, us] of self) {
      const seen = new Set();
      for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
        const k = fnKey(byId.get(cur).callFrame);
        if (re.test(k) && !seen.has(k)) {
          seen.add(k);
          incl.set(k, (incl.get(k) ?? 0) + us);
        }
      }
    }
    process.stdout.write(`\n  inclusive time of /${values.match}/:\n`);
    for (const [k, us] of [...incl.entries()].sort((a, b) => b[1] - a[1]).slice(0, top))
      process.stdout.write(`  ${pct(us)} ${msOf(us)}  ${k}\n`);
  }
}
