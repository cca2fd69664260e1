#!/usr/bin/env node
// `npm run bench [-- options]`: Patchbay against direct stdio and its peers, side by side,
// in alternating rounds (A B C A B C …) so machine drift hits every target alike.
//
// Options:
//   --quick          a short run (< 60 s) for development; writes JSON, prints the tables,
//                    leaves docs/BENCHMARKS.md alone
//   --only=a,b       only these target ids (direct and the no-proxy HTTP floor are always kept); no docs
//   --phases=a,b     only these phases: startup, latency, bridge, throughput, payload, idle; no docs
//                    (a bridge-only run may still write its own section with --docs)
//   --profile        start every proxy with --cpu-prof (profiles in bench/results/profiles/<run>);
//                    numbers are skewed, so no docs
//   --docs / --no-docs  force writing docs/BENCHMARKS.md on or off
//   --render=<json>  run nothing: rebuild the tables from a run's JSON (and write the docs
//                    with --docs)
//
// Environment: BENCH_TAP_OFF=0 leaves out Patchbay's tap-off variants (`patchbay run --no-tap`).

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { bridgedVsLegacy, openBridgeClient } from './lib/bridge.mjs';
import { median, percentile, sequential, throughput } from './lib/client.mjs';
import { cpuMsOf, memoryOf, strayDescendants, treeCpuMs, treeMemory } from './lib/procs.mjs';
import { renderBridge, writeDocs, renderTables } from './lib/report.mjs';
import { BENCH_TAP_OFF, ROOT, Target, preflight, targetSpecs } from './lib/targets.mjs';

const FULL = {
  startupRounds: 3,
  warmupCalls: 500,
  latencyRounds: 5,
  latencyCallsPerRound: 500, // 2,500 timed calls per target
  bridgeRounds: 250, // × bridgeBlock calls of each kind: 2,500 legacy + 2,500 bridged per Patchbay target
  bridgeBlock: 10,
  concurrency: [1, 8, 32, 128],
  sessionCounts: [1, 8],
  throughputRounds: 5,
  throughputWarmMs: 300,
  throughputMs: 1200,
  payloadRounds: 3,
  payloadTools: ['big', 'echo'],
  payloadSizes: [100, 10 * 1024, 1024 * 1024],
  payloadCalls: { 100: 100, 10240: 100, 1048576: 10 },
  idleSessions: 200,
  idleOpenConcurrency: 8,
  idleCalls: 500,
  idleWarmupCalls: 200,
  idleSettleMs: 1000,
  sampleEveryMs: 200,
};

const QUICK = {
  ...FULL,
  startupRounds: 1,
  warmupCalls: 100,
  latencyRounds: 2,
  latencyCallsPerRound: 150,
  bridgeRounds: 40,
  concurrency: [1, 32],
  throughputRounds: 1,
  throughputWarmMs: 100,
  throughputMs: 250,
  payloadRounds: 1,
  payloadCalls: { 100: 20, 10240: 20, 1048576: 3 },
  idleSessions: 20,
  idleCalls: 100,
  idleWarmupCalls: 50,
  idleSettleMs: 300,
};

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    phases: { type: 'string' },
    profile: { type: 'boolean', default: false },
    docs: { type: 'boolean' },
    'no-docs': { type: 'boolean', default: false },
    render: { type: 'string' },
  },
  strict: true,
});

const config = opts.quick ? QUICK : FULL;
const ALL_PHASES = ['startup', 'latency', 'bridge', 'throughput', 'payload', 'idle'];
const phases = new Set(opts.phases ? opts.phases.split(',').map((p) => p.trim()) : ALL_PHASES);
for (const p of phases)
  if (!ALL_PHASES.includes(p)) throw new Error(`unknown phase ${p} (${ALL_PHASES.join(', ')})`);
const partial = opts.only !== undefined || phases.size < ALL_PHASES.length;
const writeDocsToo = opts['no-docs'] ? false : (opts.docs ?? (!opts.quick && !partial && !opts.profile));
// The main tables need every other phase; the bridged section only its own.
const mainPhasesRan = ALL_PHASES.every((p) => p === 'bridge' || phases.has(p)) && opts.only === undefined;

const stamp = new Date()
  .toISOString()
  .replace(/[:.]/g, '-')
  .replace(/-\d+Z$/, 'Z');
const runName = `${stamp}${opts.quick ? '-quick' : ''}${partial ? '-partial' : ''}${opts.profile ? '-profile' : ''}`;
const resultsDir = join(ROOT, 'bench/results');
const profileDir = join(resultsDir, 'profiles', runName);

const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
const round3 = (/** @type {number} */ n) => Math.round(n * 1000) / 1000;

// ---------------------------------------------------------------------------------------
// Cleanup: every target is a process group we started; nothing may outlive the bench.

/** @type {Set<Target>} */
const live = new Set();
let stopping = false;

async function stopAll() {
  await Promise.all([...live].map((t) => t.stop().catch(() => {})));
  live.clear();
  for (const pid of strayDescendants()) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM'])) {
  process.on(sig, () => {
    if (stopping) process.exit(130);
    stopping = true;
    log(`\n${sig}: stopping every target…`);
    void stopAll().finally(() => process.exit(130));
  });
}
process.on('exit', () => {
  // Last resort (a crash): SIGKILL whatever is still below us.
  for (const pid of strayDescendants()) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
});

// ---------------------------------------------------------------------------------------
// Memory sampler: peak tree RSS per target and phase.

let phase = 'setup';
const runStart = performance.now();
/** @type {Record<string, number>} seconds from the start to the start of each phase */
const phaseStarts = {};
/** @param {string} name */
function enter(name) {
  phase = name;
  phaseStarts[name] = Math.round((performance.now() - runStart) / 100) / 10;
}
/** @type {Record<string, Record<string, { proxyRss: number, treeRss: number, pids: number }>>} */
const peaks = {};
function sample() {
  for (const t of live) {
    const roots = t.roots();
    if (roots.length === 0) continue;
    const m = treeMemory(roots);
    const own = memoryOf(/** @type {number} */ (t.mainPid)).rss;
    const byPhase = (peaks[t.id] ??= {});
    const p = (byPhase[phase] ??= { proxyRss: 0, treeRss: 0, pids: 0 });
    p.proxyRss = Math.max(p.proxyRss, own);
    p.treeRss = Math.max(p.treeRss, m.rss);
    p.pids = Math.max(p.pids, m.pids);
  }
}

// ---------------------------------------------------------------------------------------
// Machine

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = cpuinfo.match(/^model name\s*:\s*(.*)$/m)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  let uptime;
  try {
    uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    uptime = `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`;
  }
  let nproc;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    nproc = cpus().length;
  }
  return {
    nproc,
    cpuModel: model,
    memTotalMiB: Math.round(totalmem() / 2 ** 20),
    memFreeMiB: Math.round(freemem() / 2 ** 20),
    uptime,
    loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Busy fraction of all CPUs between two /proc/stat readings. */
function cpuTotals() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = line[3] + (line[4] ?? 0);
  const total = line.reduce((a, b) => a + b, 0);
  return { idle, total };
}

function versions() {
  const pkg = (/** @type {string} */ p) => {
    try {
      return JSON.parse(readFileSync(join(ROOT, p), 'utf8')).version;
    } catch {
      return 'unknown';
    }
  };
  let git = 'unknown';
  try {
    git = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (dirty.trim() !== '') git += ' (src modified)';
  } catch {
    // not a checkout
  }
  return {
    node: process.versions.node,
    patchbay: `${pkg('package.json')} ${git}`,
    sdk: pkg('node_modules/@modelcontextprotocol/sdk/package.json'),
    supergateway: pkg('node_modules/supergateway/package.json'),
    mcpProxy: pkg('node_modules/mcp-proxy/package.json'),
  };
}

// ---------------------------------------------------------------------------------------
// The run

async function main() {
  if (opts.render) {
    const result = JSON.parse(readFileSync(opts.render, 'utf8'));
    const tables = renderTables(result, relative(ROOT, opts.render));
    const bridged =
      result.bridge && Object.keys(result.bridge).length > 0
        ? renderBridge(result, relative(ROOT, opts.render))
        : undefined;
    // A partial run's main tables would replace the full ones: only its bridged section is written.
    const main = result.meta.partial ? undefined : tables;
    if (opts.docs) log(`tables written to ${relative(ROOT, await writeDocs(main, bridged))}`);
    process.stdout.write(`${tables}\n${bridged ? `${bridged}\n` : ''}`);
    return 0;
  }
  const problems = preflight();
  if (problems.length > 0) {
    for (const p of problems) log(`bench: ${p}`);
    return 1;
  }
  if (BENCH_TAP_OFF) {
    const help = execFileSync(process.execPath, [join(ROOT, 'out/main/cli.js'), 'run', '--help'], {
      encoding: 'utf8',
    });
    if (!help.includes('--no-tap'))
      log('bench: BENCH_TAP_OFF=1 but `patchbay run` has no --no-tap yet: those variants will fail');
  }
  let specs = targetSpecs();
  if (opts.only) {
    const keep = new Set(opts.only.split(',').map((s) => s.trim()));
    specs = specs.filter((s) => s.group === 'floor' || s.group === 'reference' || keep.has(s.id));
  }
  const extraNodeArgs = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  if (opts.profile) mkdirSync(profileDir, { recursive: true });

  const started = new Date();
  const cpu0 = cpuTotals();
  /** @type {any} */
  const result = {
    meta: {
      run: runName,
      startedAt: started.toISOString(),
      mode: opts.quick ? 'quick' : 'full',
      partial,
      phases: [...phases],
      profile: opts.profile,
      machineBefore: machine(),
      versions: versions(),
      patchbayBuild: new Date(statSync(join(ROOT, 'out/main/cli.js')).mtimeMs).toISOString(),
      config,
      tapOffVariants: BENCH_TAP_OFF,
    },
    targets: specs.map((s) => ({ id: s.id, label: s.label, group: s.group })),
    startup: {},
    steady: {},
    latency: {},
    bridge: {},
    throughput: {},
    payload: {},
    peaks: {},
    idle: {},
    errors: [],
  };
  const fail = (/** @type {string} */ id, /** @type {string} */ what, /** @type {unknown} */ err) => {
    const message = err instanceof Error ? err.message : String(err);
    result.errors.push({ target: id, what, message: message.slice(0, 2000) });
    log(`  ! ${id} ${what}: ${message.split('\n')[0]}`);
  };
  log(
    `bench ${runName}: ${specs.map((s) => s.id).join(', ')}\n` +
      `machine: ${result.meta.machineBefore.nproc} × ${result.meta.machineBefore.cpuModel}; ${result.meta.machineBefore.uptime}`,
  );

  // 1. Start-up: fresh processes, spawn → first successful call, alternating.
  enter('startup');
  for (let r = 0; r < (phases.has('startup') ? config.startupRounds : 0); r++) {
    for (const spec of specs) {
      const t = new Target(spec, { extraNodeArgs: [] });
      live.add(t);
      try {
        const { startMs } = await t.start();
        (result.startup[spec.id] ??= { runsMs: [] }).runsMs.push(round3(startMs));
      } catch (err) {
        fail(spec.id, 'start-up', err);
      } finally {
        await t.stop();
        live.delete(t);
      }
    }
  }
  for (const s of Object.values(result.startup)) s.medianMs = round3(median(s.runsMs));
  if (phases.has('startup')) log(`start-up: ${fmt(result.startup, (s) => `${s.medianMs.toFixed(0)} ms`)}`);

  // 2. The targets of the run, each with its main session.
  enter('launch');
  /** @type {Target[]} */
  const targets = [];
  /** @type {Map<Target, import('./lib/client.mjs').Session>} */
  const mainSession = new Map();
  for (const spec of specs) {
    const t = new Target(spec, { extraNodeArgs });
    live.add(t);
    try {
      const { session } = await t.start();
      mainSession.set(t, session);
      targets.push(t);
    } catch (err) {
      fail(spec.id, 'launch', err);
      await t.stop();
      live.delete(t);
    }
  }
  const sampler = setInterval(sample, config.sampleEveryMs);

  enter('warm-up');
  for (const t of targets) {
    const { errors, firstError } = await sequential(mainSession.get(t).client, config.warmupCalls);
    if (errors > 0) fail(t.id, 'warm-up', firstError);
  }
  // RSS with one session: the median of 5 readings 250 ms apart, after the warm-up.
  await sleep(500);
  /** @type {Map<Target, { own: number[], tree: number[], pids: number }>} */
  const readings = new Map(targets.map((t) => [t, { own: [], tree: [], pids: 0 }]));
  for (let i = 0; i < 5; i++) {
    for (const t of targets) {
      const m = treeMemory(t.roots());
      const x = /** @type {{ own: number[], tree: number[], pids: number }} */ (readings.get(t));
      x.own.push(memoryOf(t.mainPid).rss);
      x.tree.push(m.rss);
      x.pids = m.pids;
    }
    await sleep(250);
  }
  for (const [t, x] of readings) {
    result.steady[t.id] = { proxyRss: median(x.own), treeRss: median(x.tree), treePids: x.pids };
  }
  log(`RSS, 1 session: ${fmt(result.steady, (s) => `${mib(s.proxyRss)} (tree ${mib(s.treeRss)})`)}`);

  // 3. Sequential latency, 100 B echo.
  enter('latency');
  /** @type {Record<string, { times: number[], errors: number, proxyCpu: number, treeCpu: number, clientCpu: number }>} */
  const lat = {};
  for (let r = 0; r < (phases.has('latency') ? config.latencyRounds : 0); r++) {
    for (const t of targets) {
      const acc = (lat[t.id] ??= { times: [], errors: 0, proxyCpu: 0, treeCpu: 0, clientCpu: 0 });
      const roots = t.roots();
      const p0 = cpuMsOf(t.mainPid);
      const t0 = treeCpuMs(roots);
      const c0 = process.cpuUsage();
      const { times, errors, firstError } = await sequential(
        mainSession.get(t).client,
        config.latencyCallsPerRound,
      );
      const c1 = process.cpuUsage(c0);
      acc.clientCpu += (c1.user + c1.system) / 1000;
      acc.proxyCpu += cpuMsOf(t.mainPid) - p0;
      acc.treeCpu += treeCpuMs(roots) - t0;
      acc.times.push(...times);
      acc.errors += errors;
      if (errors > 0) fail(t.id, 'latency', firstError);
    }
  }
  for (const [id, a] of Object.entries(lat)) {
    const n = a.times.length;
    result.latency[id] = {
      calls: n,
      errors: a.errors,
      p50: round3(percentile(a.times, 0.5)),
      p90: round3(percentile(a.times, 0.9)),
      p99: round3(percentile(a.times, 0.99)),
      mean: round3(a.times.reduce((x, y) => x + y, 0) / n),
      cpuMsPerCall: {
        proxy: round3(a.proxyCpu / n),
        tree: round3(a.treeCpu / n),
        client: round3(a.clientCpu / n),
      },
    };
  }
  log(`p50: ${fmt(result.latency, (l) => `${l.p50.toFixed(3)} ms`)}`);

  // 3b. A bridged 2026-07-28 call against a legacy session call, on each Patchbay target.
  enter('bridge');
  for (const t of phases.has('bridge') ? targets.filter((x) => x.spec.group === 'patchbay') : []) {
    /** @type {Awaited<ReturnType<typeof openBridgeClient>> | undefined} */
    let client;
    try {
      client = await openBridgeClient(t.url);
      // Warm-up: the bridge's pooled session is opened by the first bridged call.
      await bridgedVsLegacy(
        client,
        t.mainPid,
        Math.ceil(config.warmupCalls / config.bridgeBlock / 2),
        config.bridgeBlock,
      );
      const x = await bridgedVsLegacy(client, t.mainPid, config.bridgeRounds, config.bridgeBlock);
      /** @type {Record<string, any>} */
      const entry = {};
      for (const kind of /** @type {const} */ (['legacy', 'bridged'])) {
        const k = x[kind];
        if (k.errors > 0) fail(t.id, `bridge ${kind}`, k.firstError);
        entry[kind] = {
          calls: k.times.length,
          errors: k.errors,
          p50: round3(percentile(k.times, 0.5)),
          p90: round3(percentile(k.times, 0.9)),
          p99: round3(percentile(k.times, 0.99)),
          proxyCpuMsPerCall: k.times.length ? round3(k.cpuMs / k.times.length) : null,
        };
      }
      entry.p50Delta = round3(entry.bridged.p50 - entry.legacy.p50);
      result.bridge[t.id] = entry;
    } catch (err) {
      fail(t.id, 'bridge', err);
    } finally {
      await client?.close();
    }
  }
  if (phases.has('bridge'))
    log(
      `bridged − legacy p50: ${fmt(result.bridge, (b) => `${b.legacy.p50.toFixed(3)} → ${b.bridged.p50.toFixed(3)} ms (${b.p50Delta >= 0 ? '+' : ''}${b.p50Delta.toFixed(3)})`)}`,
    );

  // 4. Throughput: concurrent callers on 1 session, then on 8.
  enter('throughput');
  /** @type {Map<Target, import('./lib/client.mjs').Session[]>} */
  const extra = new Map();
  for (const sessionsWanted of phases.has('throughput') ? config.sessionCounts : []) {
    for (const t of targets) {
      const list = extra.get(t) ?? [];
      try {
        while (list.length < sessionsWanted - 1) list.push(await t.open());
      } catch (err) {
        fail(t.id, `open ${sessionsWanted} sessions`, err);
      }
      extra.set(t, list);
    }
    for (const c of config.concurrency) {
      const cell = `s${sessionsWanted}-c${c}`;
      for (let r = 0; r < config.throughputRounds; r++) {
        for (const t of targets) {
          const sessions = [mainSession.get(t), ...(extra.get(t) ?? [])].slice(0, sessionsWanted);
          const p0 = cpuMsOf(t.mainPid);
          const res = await throughput(sessions, c, config.throughputWarmMs, config.throughputMs);
          const proxyCpu = cpuMsOf(t.mainPid) - p0;
          const acc = (result.throughput[t.id] ??= {});
          const entry = (acc[cell] ??= { rounds: [], errors: 0, proxyCpuMsPerCall: [] });
          entry.rounds.push(Math.round(res.perSecond));
          entry.errors += res.errors;
          if (res.total > 0) entry.proxyCpuMsPerCall.push(round3(proxyCpu / res.total));
          if (res.errors > 0) fail(t.id, `throughput ${cell}`, res.firstError);
        }
      }
      for (const t of targets) {
        const entry = result.throughput[t.id]?.[cell];
        if (entry) {
          entry.median = median(entry.rounds);
          entry.proxyCpuMsPerCall = round3(median(entry.proxyCpuMsPerCall));
        }
      }
      log(`throughput ${cell}: ${fmt(result.throughput, (x) => (x[cell] ? `${x[cell].median}/s` : '-'))}`);
    }
  }
  for (const t of targets) for (const s of extra.get(t) ?? []) await t.close(s);
  await sleep(300);

  // 5. Payloads: `big` (a response of N bytes) and `echo` (N bytes each way), sequential.
  enter('payload');
  for (let r = 0; r < (phases.has('payload') ? config.payloadRounds : 0); r++) {
    for (const t of targets) {
      for (const tool of config.payloadTools) {
        for (const size of config.payloadSizes) {
          const key = `${tool}-${size}`;
          const acc = (result.payload[t.id] ??= {});
          const entry = (acc[key] ??= { times: [], errors: 0 });
          if (entry.errors > 0 && entry.times.length === 0) continue; // fails every time: skip
          const { times, errors, firstError } = await sequential(
            mainSession.get(t).client,
            config.payloadCalls[size],
            /** @type {'big' | 'echo'} */ (tool),
            size,
          );
          entry.times.push(...times);
          entry.errors += errors;
          if (errors > 0) {
            entry.firstError ??= firstError;
            fail(t.id, `payload ${key}`, firstError);
          }
        }
      }
    }
  }
  for (const perTarget of Object.values(result.payload)) {
    for (const [key, e] of Object.entries(perTarget)) {
      perTarget[key] = {
        calls: e.times.length,
        errors: e.errors,
        ...(e.firstError ? { firstError: String(e.firstError).slice(0, 300) } : {}),
        p50: e.times.length ? round3(percentile(e.times, 0.5)) : null,
        p99: e.times.length ? round3(percentile(e.times, 0.99)) : null,
      };
    }
  }
  log(
    `payload big-1MiB p50: ${fmt(result.payload, (p) => (p['big-1048576']?.p50 != null ? `${p['big-1048576'].p50.toFixed(1)} ms` : 'failed'))}`,
  );

  // Peak memory under load: VmHWM of the proxy, and sampled RSS per phase (small calls vs 1 MiB payloads).
  sample();
  for (const t of targets) {
    const byPhase = peaks[t.id] ?? {};
    const max = (/** @type {string[]} */ names, /** @type {'proxyRss' | 'treeRss' | 'pids'} */ key) =>
      Math.max(0, ...names.map((p) => byPhase[p]?.[key] ?? 0));
    const small = ['warm-up', 'latency', 'throughput'];
    result.peaks[t.id] = {
      proxyHwm: memoryOf(t.mainPid).hwm,
      proxyRssSmallCalls: max(small, 'proxyRss'),
      proxyRssPayload: max(['payload'], 'proxyRss'),
      treeRssSmallCalls: max(small, 'treeRss'),
      treeRssPayload: max(['payload'], 'treeRss'),
      treePidsMax: max([...small, 'payload'], 'pids'),
      byPhase,
    };
  }
  log(
    `peak RSS: ${fmt(result.peaks, (p) => `${mib(p.proxyRssSmallCalls)} small calls, ${mib(p.proxyRssPayload)} payloads, VmHWM ${mib(p.proxyHwm)}`)}`,
  );
  // The run's targets are done: the idle phase starts each afresh, so its RSS is not the payload phase's.
  clearInterval(sampler);
  await stopAll();

  // 6. Idle sessions, one fresh target at a time: RSS with 1 session (after a short warm-up),
  // then with N more sessions open and idle, and p50 on the first session meanwhile.
  enter('idle');
  for (const spec of phases.has('idle') ? specs : []) {
    if (spec.kind === 'stdio') {
      result.idle[spec.id] = { skipped: 'no proxy: every stdio session is a server process of its own' };
      continue;
    }
    const t = new Target(spec, { extraNodeArgs });
    live.add(t);
    try {
      const { session: first } = await t.start();
      await sequential(first.client, config.idleWarmupCalls);
      await sleep(300);
      const before = { proxyRss: memoryOf(t.mainPid).rss, treeRss: treeMemory(t.roots()).rss };
      const t0 = performance.now();
      let opened = 0;
      let openErrors = 0;
      /** @type {unknown} */
      let firstOpenError;
      let next = 0;
      await Promise.all(
        Array.from({ length: config.idleOpenConcurrency }, async () => {
          while (next < config.idleSessions) {
            next++;
            try {
              await t.open();
              opened++;
            } catch (err) {
              openErrors++;
              firstOpenError ??= err;
            }
          }
        }),
      );
      const openMs = performance.now() - t0;
      if (openErrors > 0) fail(t.id, `idle: ${openErrors} sessions failed to open`, firstOpenError);
      await sleep(config.idleSettleMs);
      const m = treeMemory(t.roots());
      const proxyRss = memoryOf(t.mainPid).rss;
      const { times, errors, firstError } = await sequential(first.client, config.idleCalls);
      if (errors > 0) fail(t.id, 'idle latency', firstError);
      result.idle[t.id] = {
        sessions: opened,
        openMs: Math.round(openMs),
        before,
        proxyRss,
        treeRss: m.rss,
        treePids: m.pids,
        proxyKiBPerSession: opened ? Math.round((proxyRss - before.proxyRss) / 1024 / opened) : null,
        treeKiBPerSession: opened ? Math.round((m.rss - before.treeRss) / 1024 / opened) : null,
        p50: round3(percentile(times, 0.5)),
        p90: round3(percentile(times, 0.9)),
        errors,
      };
      log(
        `idle ${t.id}: ${opened} sessions in ${Math.round(openMs)} ms; RSS ${mib(before.proxyRss)} → ${mib(proxyRss)} ` +
          `(tree ${mib(before.treeRss)} → ${mib(m.rss)}, ${m.pids} processes); p50 ${result.idle[t.id].p50} ms`,
      );
    } catch (err) {
      fail(spec.id, 'idle', err);
    } finally {
      await t.stop();
      live.delete(t);
    }
  }

  // 7. Stop everything.
  enter('stop');
  await stopAll();
  const strays = strayDescendants();
  if (strays.length > 0)
    result.errors.push({ target: '-', what: 'stray processes after stop', message: strays.join(' ') });

  const cpu1 = cpuTotals();
  result.meta.finishedAt = new Date().toISOString();
  result.meta.durationS = Math.round((Date.now() - started.getTime()) / 1000);
  result.meta.machineAfter = machine();
  result.meta.phaseStarts = phaseStarts;
  result.meta.machineBusyDuringRun =
    Math.round((1 - (cpu1.idle - cpu0.idle) / (cpu1.total - cpu0.total)) * 1000) / 1000;
  if (opts.profile) result.meta.profileDir = relative(ROOT, profileDir);

  mkdirSync(resultsDir, { recursive: true });
  const jsonPath = join(resultsDir, `${runName}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  log(`\nresults: ${relative(ROOT, jsonPath)} (${result.meta.durationS} s)`);
  const tables = renderTables(result, relative(ROOT, jsonPath));
  const bridged = renderBridge(result, relative(ROOT, jsonPath));
  if (writeDocsToo) {
    const docPath = await writeDocs(
      mainPhasesRan ? tables : undefined,
      phases.has('bridge') ? bridged : undefined,
    );
    log(`tables written to ${relative(ROOT, docPath)}`);
  }
  const anyMain = ALL_PHASES.some((p) => p !== 'bridge' && phases.has(p));
  process.stdout.write(`${anyMain ? `${tables}\n` : ''}${phases.has('bridge') ? `${bridged}\n` : ''}`);
  if (result.errors.length > 0) log(`${result.errors.length} errors recorded (see "errors" in the JSON)`);
  return 0;
}

/** @param {Record<string, any>} byTarget @param {(v: any) => string} f */
function fmt(byTarget, f) {
  return Object.entries(byTarget)
    .map(([id, v]) => `${id} ${f(v)}`)
    .join(' · ');
}

/** @param {number} bytes */
function mib(bytes) {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    log(`bench: ${err instanceof Error ? err.stack : String(err)}`);
    await stopAll().catch(() => {});
    process.exit(1);
  },
);
