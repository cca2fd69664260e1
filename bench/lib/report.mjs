// Markdown tables from a run's JSON, with ratios to direct stdio and to the best peer, and
// the block of docs/BENCHMARKS.md they replace.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './targets.mjs';

const BEGIN = '<!-- bench:begin (written by `npm run bench`; edit outside these markers) -->';
const END = '<!-- bench:end -->';
const BRIDGE_BEGIN = '<!-- bench:bridge:begin (written by `npm run bench`; edit outside these markers) -->';
const BRIDGE_END = '<!-- bench:bridge:end -->';
/** The issue's bound: a bridged call costs at most this much more than a legacy session call, p50. */
const BRIDGE_BOUND_MS = 0.1;

const mib = (/** @type {number} */ b) => (b ? `${(b / 2 ** 20).toFixed(1)} MiB` : '–');
const ms = (/** @type {number | null | undefined} */ v, digits = 3) =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);
const int = (/** @type {number | undefined} */ v) =>
  v === undefined || Number.isNaN(v) ? '–' : Math.round(v).toLocaleString('en-US');
const ratio = (/** @type {number | undefined} */ a, /** @type {number | undefined} */ b) =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0
    ? '–'
    : `${(a / b).toFixed(2)}×`;
const size = (/** @type {number} */ n) =>
  n >= 1048576 ? `${n / 1048576} MiB` : n >= 1024 ? `${n / 1024} KiB` : `${n} B`;
const row = (/** @type {string[]} */ cells) => `| ${cells.join(' | ')} |`;
const head = (/** @type {string[]} */ cells) =>
  `${row(cells)}\n${row(cells.map((c, i) => (i === 0 ? '---' : '---:')))}`;

/**
 * @param {any} r the run's JSON
 * @param {string} jsonPath where it was written, relative to the repo
 */
export function renderTables(r, jsonPath) {
  const targets = /** @type {{ id: string, label: string, group: string }[]} */ (r.targets);
  const peers = targets.filter((t) => t.group === 'peer');
  const patchbays = targets.filter((t) => t.group === 'patchbay');
  const direct = targets.find((t) => t.group === 'floor');
  const floorHttp = targets.find((t) => t.group === 'reference');
  const isProxy = (/** @type {{ group: string }} */ t) => t.group === 'patchbay' || t.group === 'peer';
  const m = r.meta;
  const mb = m.machineBefore;

  /** The best peer's value of a figure (lowest or highest), with its id. */
  const best = (/** @type {(id: string) => number | undefined} */ get, /** @type {'min' | 'max'} */ dir) => {
    let out = /** @type {{ id: string, value: number } | undefined} */ (undefined);
    for (const p of peers) {
      const v = get(p.id);
      if (v === undefined || v === null || !Number.isFinite(v)) continue;
      if (!out || (dir === 'min' ? v < out.value : v > out.value)) out = { id: p.id, value: v };
    }
    return out;
  };

  const p50 = (/** @type {string} */ id) => r.latency[id]?.p50;
  const thr = (/** @type {string} */ id, /** @type {string} */ cell) => r.throughput[id]?.[cell]?.median;
  const rss = (/** @type {string} */ id) => r.steady[id]?.proxyRss;
  const treeRss = (/** @type {string} */ id) => r.steady[id]?.treeRss;
  const bestP50 = best(p50, 'min');
  const bestThr32 = best((id) => thr(id, 's1-c32'), 'max');
  const bestRss = best(rss, 'min');
  const bestTreeRss = best(treeRss, 'min');
  const directP50 = direct ? p50(direct.id) : undefined;
  const floorP50 = floorHttp ? p50(floorHttp.id) : undefined;
  const cpu32 = (/** @type {string} */ id) => r.throughput[id]?.['s1-c32']?.proxyCpuMsPerCall;
  const bestCpu32 = best(cpu32, 'min');
  const directThr32 = direct ? thr(direct.id, 's1-c32') : undefined;
  const label = (/** @type {{ id: string, label: string }} */ t) => t.label;
  const lat = r.latency;
  const calls = Object.values(lat).map((l) => /** @type {any} */ (l).calls);
  const conc = m.config.concurrency;
  const sessionCounts = m.config.sessionCounts;

  const out = [];
  out.push(
    `Run \`${m.run}\` (${m.mode}${m.partial ? ', partial' : ''}${m.profile ? ', with --cpu-prof: skewed' : ''}), ${m.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${m.durationS} s; raw figures in \`${jsonPath}\`.`,
  );
  out.push('');
  out.push(
    `Machine: ${mb.nproc} × ${mb.cpuModel}, ${Math.round(mb.memTotalMiB / 1024)} GiB RAM. ` +
      `Load before: ${mb.loadavg.join(', ')} (1/5/15 min); after: ${m.machineAfter?.loadavg.join(', ') ?? '?'}; ` +
      `all CPUs ${Math.round((m.machineBusyDuringRun ?? 0) * 100)}% busy over the run (bench included). ` +
      `Node ${m.versions.node}; Patchbay ${m.versions.patchbay}${m.patchbayBuild ? `, built ${m.patchbayBuild.slice(0, 16).replace('T', ' ')}` : ''}; SDK ${m.versions.sdk} (client for every target); ` +
      `supergateway ${m.versions.supergateway}; mcp-proxy ${m.versions.mcpProxy}.`,
  );
  out.push('');

  // Latency
  out.push(
    `### Sequential latency, 100 B echo (${calls.length ? Math.min(...calls).toLocaleString('en-US') : 0}+ calls per target, ${m.config.latencyRounds} alternating rounds, after ${m.config.warmupCalls} warm-up calls)`,
  );
  out.push('');
  out.push(
    head([
      'target',
      'p50 ms',
      'p90 ms',
      'p99 ms',
      'p50 − direct',
      'p50 × direct',
      'p50 − no-proxy floor',
      'p50 ÷ best peer',
      'proxy CPU ms/call',
      'client CPU ms/call',
    ]),
  );
  for (const t of targets) {
    const l = lat[t.id];
    if (!l) {
      out.push(row([label(t), 'failed', '', '', '', '', '', '', '', '']));
      continue;
    }
    const floor = t.group === 'floor';
    out.push(
      row([
        label(t),
        ms(l.p50),
        ms(l.p90),
        ms(l.p99),
        floor ? '–' : `+${ms(l.p50 - (directP50 ?? NaN))}`,
        floor ? '1' : ratio(l.p50, directP50),
        isProxy(t) && floorP50 !== undefined ? `+${ms(l.p50 - floorP50)}` : '–',
        !isProxy(t)
          ? '–'
          : t.group === 'peer' && bestP50?.id === t.id
            ? 'best peer'
            : ratio(l.p50, bestP50?.value),
        isProxy(t) ? ms(l.cpuMsPerCall.proxy) : `(server ${ms(l.cpuMsPerCall.proxy)})`,
        ms(l.cpuMsPerCall.client),
      ]),
    );
  }
  out.push('');
  out.push(
    'CPU per call: user+system time over the timed calls, from /proc (10 ms ticks). Proxy: the proxy process alone, not its servers ' +
      '(for direct and the no-proxy floor: the server). Client: the bench process, i.e. the SDK client — the same code for every HTTP target. ' +
      'The no-proxy floor is `bench/lib/null-server.mjs`: node:http answering `echo` in-process with one SSE frame, no child — ' +
      'the least any HTTP proxy can cost with this client on this machine.',
  );
  out.push('');

  // Throughput
  out.push(
    `### Throughput, calls/s, 100 B echo (median of ${m.config.throughputRounds} rounds of ${m.config.throughputMs} ms after ${m.config.throughputWarmMs} ms warm-up)`,
  );
  out.push('');
  const cells = sessionCounts.flatMap((/** @type {number} */ s) =>
    conc.map((/** @type {number} */ c) => `s${s}-c${c}`),
  );
  const cellName = (/** @type {string} */ cell) => {
    const [, s, c] = /** @type {RegExpMatchArray} */ (cell.match(/s(\d+)-c(\d+)/));
    return `${c} on ${s} sess.`;
  };
  out.push(
    head([
      'target',
      ...cells.map(cellName),
      '32 on 1: × direct',
      '32 on 1: × best peer',
      '32 on 1: proxy CPU ms/call',
      'proxy CPU ÷ best peer',
    ]),
  );
  for (const t of targets) {
    const x = r.throughput[t.id];
    out.push(
      row([
        label(t),
        ...cells.map((c) => {
          const e = x?.[c];
          if (!e) return '–';
          return `${int(e.median)}${e.errors ? ` (${e.errors} err)` : ''}`;
        }),
        t.group === 'floor' ? '1' : ratio(thr(t.id, 's1-c32'), directThr32),
        !isProxy(t)
          ? '–'
          : t.group === 'peer' && bestThr32?.id === t.id
            ? 'best peer'
            : ratio(thr(t.id, 's1-c32'), bestThr32?.value),
        isProxy(t) ? ms(cpu32(t.id)) : `(server ${ms(cpu32(t.id))})`,
        !isProxy(t)
          ? '–'
          : t.group === 'peer' && bestCpu32?.id === t.id
            ? 'best peer'
            : ratio(cpu32(t.id), bestCpu32?.value),
      ]),
    );
  }
  out.push('');
  out.push(
    "One client process drives every target; client, proxy and server share the machine's CPUs, and the SDK's HTTP client costs more CPU per call " +
      "than any proxy here, so calls/s flatten near what one client process can issue. The proxy CPU per call is the proxy's own capacity: " +
      '1000 ÷ it = calls/s per core it could serve if the client cost nothing.',
  );
  out.push('');

  // Payloads
  out.push(
    '### Payloads, sequential p50 ms (`big`: a response of N bytes for a tiny request; `echo`: N bytes each way)',
  );
  out.push('');
  const keys = m.config.payloadTools.flatMap((/** @type {string} */ tool) =>
    m.config.payloadSizes.map((/** @type {number} */ n) => ({
      key: `${tool}-${n}`,
      name: `${tool} ${size(n)}`,
    })),
  );
  out.push(head(['target', ...keys.map((k) => k.name)]));
  for (const t of targets) {
    const p = r.payload[t.id] ?? {};
    out.push(
      row([
        label(t),
        ...keys.map(({ key }) => {
          const e = p[key];
          if (!e) return '–';
          if (e.p50 === null) return `fails${e.firstError ? `: ${shortError(e.firstError)}` : ''}`;
          return `${ms(e.p50, e.p50 >= 10 ? 1 : 3)}${e.errors ? ` (${e.errors} err)` : ''}`;
        }),
      ]),
    );
  }
  out.push('');

  // Memory
  out.push('### Memory (RSS from /proc; "tree" = the proxy and every process below it, servers included)');
  out.push('');
  out.push(
    head([
      'target',
      'proxy RSS, 1 session',
      'proxy ÷ best peer',
      'tree RSS, 1 session',
      'tree ÷ best peer',
      'proxy peak, small calls',
      'proxy peak, 1 MiB payloads',
      'proxy VmHWM',
      'tree peak, small calls',
    ]),
  );
  for (const t of targets) {
    const s = r.steady[t.id];
    const pk = r.peaks[t.id];
    if (!s) {
      out.push(row([label(t), 'failed', '', '', '', '', '', '', '']));
      continue;
    }
    const floor = t.group === 'floor';
    out.push(
      row([
        floor ? `${label(t)} (the server alone)` : label(t),
        mib(s.proxyRss),
        !isProxy(t)
          ? '–'
          : t.group === 'peer' && bestRss?.id === t.id
            ? 'best peer'
            : ratio(s.proxyRss, bestRss?.value),
        `${mib(s.treeRss)} (${s.treePids} proc.)`,
        !isProxy(t)
          ? '–'
          : t.group === 'peer' && bestTreeRss?.id === t.id
            ? 'best peer'
            : ratio(s.treeRss, bestTreeRss?.value),
        mib(pk?.proxyRssSmallCalls),
        mib(pk?.proxyRssPayload),
        mib(pk?.proxyHwm),
        `${mib(pk?.treeRssSmallCalls)} (${pk?.treePidsMax ?? '?'} proc.)`,
      ]),
    );
  }
  out.push('');
  out.push(
    '1 session: the median of 5 readings after the warm-up. Peaks: the highest RSS sampled every ' +
      `${m.config.sampleEveryMs} ms during the small-call phases (warm-up, latency, throughput with up to 8 sessions and 128 callers) ` +
      "and during the payload phase; VmHWM: the kernel's high-water mark over the whole run before the idle phase.",
  );
  out.push('');

  // Start-up and idle sessions
  const n = m.config.idleSessions;
  out.push(`### Start-up, and ${n} idle sessions`);
  out.push('');
  out.push(
    `Start-up: a fresh process, spawn → first successful echo (initialize included). Idle sessions: a fresh process per target, ` +
      `${m.config.idleWarmupCalls} warm-up calls on one session, then ${n} more sessions opened ${m.config.idleOpenConcurrency} at a time ` +
      `(each SDK client also opens its GET stream) and left idle; p50 over ${m.config.idleCalls} calls on the first session.`,
  );
  out.push('');
  out.push(
    head([
      'target',
      `spawn → first call (median of ${m.config.startupRounds})`,
      `open ${n} sessions`,
      `proxy RSS, 1 → ${n} sessions`,
      'proxy KiB/session',
      `tree RSS, 1 → ${n} sessions`,
      'tree KiB/session',
      `p50 with ${n} idle`,
      `p50 × direct`,
    ]),
  );
  for (const t of targets) {
    const st = r.startup[t.id];
    const id = r.idle[t.id];
    const startup = st ? `${int(st.medianMs)} ms` : 'failed';
    if (!id || id.skipped) {
      out.push(row([label(t), startup, '–', '–', '–', '–', '–', '–', '–']));
      continue;
    }
    out.push(
      row([
        label(t),
        startup,
        `${int(id.openMs)} ms${id.sessions < n ? ` (${id.sessions} opened)` : ''}`,
        `${mib(id.before?.proxyRss)} → ${mib(id.proxyRss)}`,
        int(id.proxyKiBPerSession),
        `${mib(id.before?.treeRss)} → ${mib(id.treeRss)} (${id.treePids} proc.)`,
        int(id.treeKiBPerSession),
        ms(id.p50),
        ratio(id.p50, directP50),
      ]),
    );
  }
  out.push('');

  // Targets of issue 9
  out.push('### Against the targets of issue 9 (ratios from this run)');
  out.push('');
  out.push(head(['goal', ...patchbays.map(label)]));
  const verdict = (/** @type {boolean} */ ok) => (ok ? '✅' : '❌');
  const goal = (/** @type {string} */ name, /** @type {(id: string) => string} */ f) =>
    out.push(row([name, ...patchbays.map((t) => f(t.id))]));
  goal(`p50 ≤ ⅓ of best peer (${bestP50 ? `${bestP50.id} ${ms(bestP50.value)} ms` : '?'})`, (id) => {
    const v = p50(id);
    if (v === undefined || !bestP50) return '–';
    return `${ratio(v, bestP50.value)} ${verdict(v <= bestP50.value / 3)}`;
  });
  goal(`p50 ≤ direct + 0.35 ms (direct ${ms(directP50)} ms)`, (id) => {
    const v = p50(id);
    if (v === undefined || directP50 === undefined) return '–';
    return `+${ms(v - directP50)} ms ${verdict(v <= directP50 + 0.35)}`;
  });
  goal(`(context) p50 over the no-proxy HTTP floor (${ms(floorP50)} ms)`, (id) => {
    const v = p50(id);
    if (v === undefined || floorP50 === undefined) return '–';
    return `+${ms(v - floorP50)} ms`;
  });
  goal(
    `throughput, 32 callers on 1 session, ≥ 3× best peer (${bestThr32 ? `${bestThr32.id} ${int(bestThr32.value)}/s` : '?'})`,
    (id) => {
      const v = thr(id, 's1-c32');
      if (v === undefined || !bestThr32) return '–';
      return `${ratio(v, bestThr32.value)} ${verdict(v >= 3 * bestThr32.value)}`;
    },
  );
  goal(
    `(context) proxy CPU per call at 32 callers vs best peer (${bestCpu32 ? `${bestCpu32.id} ${ms(bestCpu32.value)} ms` : '?'}): capacity ×`,
    (id) => {
      const v = cpu32(id);
      if (v === undefined || !bestCpu32) return '–';
      return `${ratio(bestCpu32.value, v)} ${verdict(bestCpu32.value >= 3 * v)}`;
    },
  );
  goal(
    `proxy RSS, 1 session, ≤ ½ of best peer (${bestRss ? `${bestRss.id} ${mib(bestRss.value)}` : '?'})`,
    (id) => {
      const v = rss(id);
      if (v === undefined || !bestRss) return '–';
      return `${ratio(v, bestRss.value)} ${verdict(v <= bestRss.value / 2)}`;
    },
  );
  goal('tap on vs off: ≤ 10% apart in p50 and 32-caller throughput', (id) => {
    const off = `${id}-notap`;
    if (id.endsWith('-notap')) return '(tap off)';
    if (!lat[off]) return 'not measured: needs `patchbay run --no-tap` (BENCH_TAP_OFF=1)';
    const dp = Math.abs(p50(id) / p50(off) - 1);
    const dt = Math.abs(thr(id, 's1-c32') / thr(off, 's1-c32') - 1);
    return `p50 ${(dp * 100).toFixed(1)}%, thr ${(dt * 100).toFixed(1)}% ${verdict(dp <= 0.1 && dt <= 0.1)}`;
  });
  out.push('');
  if (r.errors.length > 0) {
    out.push('Errors recorded in this run:');
    out.push('');
    const seen = new Set();
    for (const e of r.errors) {
      const line = `- ${e.target}, ${e.what}: ${shortError(e.message)}`;
      if (seen.has(line)) continue;
      seen.add(line);
      out.push(line);
    }
    out.push('');
  }
  return out.join('\n');
}

/**
 * The bridged-call table: per Patchbay target, a legacy session's echo against the same echo
 * sent as a 2026-07-28 stateless request (through the bridge), and their p50 difference.
 * @param {any} r the run's JSON
 * @param {string} jsonPath where it was written, relative to the repo
 */
export function renderBridge(r, jsonPath) {
  const m = r.meta;
  const mb = m.machineBefore;
  const out = [];
  out.push(
    `Run \`${m.run}\` (${m.mode}${m.partial ? ', partial' : ''}${m.profile ? ', with --cpu-prof: skewed' : ''}), ${m.startedAt.slice(0, 16).replace('T', ' ')} UTC; raw figures in \`${jsonPath}\`. ` +
      `Machine: ${mb.nproc} × ${mb.cpuModel}; load before ${mb.loadavg.join(', ')}, after ${m.machineAfter?.loadavg.join(', ') ?? '?'}. ` +
      `Patchbay ${m.versions.patchbay}.`,
  );
  out.push('');
  const n = (m.config.bridgeRounds ?? 0) * (m.config.bridgeBlock ?? 0);
  out.push(
    `### Bridged 2026-07-28 call vs legacy session call, 100 B echo (${n.toLocaleString('en-US')} calls of each, alternating blocks of ${m.config.bridgeBlock})`,
  );
  out.push('');
  out.push(
    head([
      'target',
      'legacy p50 ms',
      'bridged p50 ms',
      'p50 bridged − legacy',
      `≤ +${BRIDGE_BOUND_MS} ms`,
      'legacy p90 / p99',
      'bridged p90 / p99',
      'proxy CPU ms/call, legacy',
      'proxy CPU ms/call, bridged',
    ]),
  );
  const targets = /** @type {{ id: string, label: string, group: string }[]} */ (r.targets);
  for (const t of targets.filter((x) => x.group === 'patchbay')) {
    const b = r.bridge?.[t.id];
    if (!b) {
      out.push(row([t.label, 'failed', '', '', '', '', '', '', '']));
      continue;
    }
    const d = b.bridged.p50 - b.legacy.p50;
    out.push(
      row([
        t.label,
        ms(b.legacy.p50),
        ms(b.bridged.p50),
        `${d >= 0 ? '+' : ''}${ms(d)}`,
        d <= BRIDGE_BOUND_MS ? '✅' : '❌',
        `${ms(b.legacy.p90)} / ${ms(b.legacy.p99)}`,
        `${ms(b.bridged.p90)} / ${ms(b.bridged.p99)}`,
        ms(b.legacy.proxyCpuMsPerCall),
        ms(b.bridged.proxyCpuMsPerCall),
      ]),
    );
  }
  out.push('');
  out.push(
    'Both kinds go through the same Patchbay process in front of the fixture, from the same raw node:http client ' +
      '(`bench/lib/bridge.mjs`, no SDK) on one keep-alive connection: legacy = `tools/call` on a 2025-11-25 session ' +
      'the client opened; bridged = the same call as a stateless 2026-07-28 request (envelope in `_meta`, ' +
      '`MCP-Protocol-Version`/`Mcp-Method`/`Mcp-Name` headers), which Patchbay runs on the legacy session its bridge keeps. ' +
      'Blocks alternate so drift hits both alike; proxy CPU from /proc (10 ms ticks) over each block.',
  );
  const errors = (r.errors ?? []).filter((/** @type {any} */ e) => String(e.what).startsWith('bridge'));
  if (errors.length > 0) {
    out.push('');
    for (const e of errors) out.push(`- ${e.target}, ${e.what}: ${shortError(e.message)}`);
  }
  return out.join('\n');
}

/** @param {string} message */
function shortError(message) {
  let text = String(message);
  // An HTML error page (express): keep its text, not its markup.
  if (/<(!DOCTYPE|html|pre)/i.test(text)) text = text.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ');
  text = text.replace(/\s+at\s.*$/s, ''); // no stack
  text = text.replace(/^Streamable HTTP error: Error POSTing to endpoint:\s*/, '').replace(/^Error\s+/, '');
  text = text.replace(/\s+/g, ' ').replace(/\|/g, '/').trim();
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/**
 * Replaces the generated blocks of docs/BENCHMARKS.md (creating the file or a block where
 * missing): the main tables and the bridged-call section, each only when given. Formatted by
 * the repo's Prettier so `npm run lint` stays clean.
 * @param {string | undefined} tables @param {string | undefined} [bridged]
 */
export async function writeDocs(tables, bridged) {
  const path = join(ROOT, 'docs/BENCHMARKS.md');
  let text = existsSync(path)
    ? readFileSync(path, 'utf8')
    : '# Benchmarks\n\n`npm run bench` (about 8 minutes; `-- --quick` for a short run) writes the blocks below and a JSON file per run in `bench/results/`.\n';
  if (tables !== undefined) text = replaceBlock(text, BEGIN, END, tables);
  if (bridged !== undefined) text = replaceBlock(text, BRIDGE_BEGIN, BRIDGE_END, bridged);
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(path)) ?? {};
    text = await prettier.format(text, { ...options, filepath: path });
  } catch (err) {
    process.stderr.write(`bench: could not format ${path} with Prettier: ${String(err)}\n`);
  }
  writeFileSync(path, text);
  return path;
}

/** `text` with the block between `begin` and `end` replaced by `body` (appended when absent). */
function replaceBlock(
  /** @type {string} */ text,
  /** @type {string} */ begin,
  /** @type {string} */ end,
  /** @type {string} */ body,
) {
  const block = `${begin}\n${body}\n${end}`;
  const a = text.indexOf(begin);
  const b = text.indexOf(end, a);
  return a !== -1 && b > a
    ? `${text.slice(0, a)}${block}${text.slice(b + end.length)}`
    : `${text.trimEnd()}\n\n${block}\n`;
}
