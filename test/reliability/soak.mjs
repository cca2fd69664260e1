#!/usr/bin/env node
// The soak (issue 10): `npm run soak [-- --minutes N]`, 10 minutes by default, not in CI.
// Two `patchbay run` proxies in front of the fixture server, one isolated and one shared,
// carry mixed traffic from 50 sessions (Streamable HTTP of three revisions, legacy SSE, GET
// streams, progress, big answers, cancellations), and a crash is injected every minute
// (in turn: SIGKILL of a random server process of the isolated proxy, then of the shared one). Every request must
// get a response or an error: a request with neither by its deadline is "lost". Memory
// must stay flat: RSS sampled every 10 s, and heap after a full GC (over the inspector)
// at 40% of the run and at the end. Needs `npm run build`. Prints a report; exits 1
// when a request was lost or memory grew.

import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = join(root, 'test/fixtures/fixture-server.mjs');
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    sessions: { type: 'string', default: '50' },
    'crash-every': { type: 'string', default: '60' },
  },
});
const MINUTES = Number(values.minutes);
const SESSIONS = Number(values.sessions);
const CRASH_EVERY_MS = Number(values['crash-every']) * 1000;
const DEADLINE_MS = 30_000;
const MiB = 1024 * 1024;

// ------------------------------------------------------------------ proxies

/** Starts `patchbay run` with the inspector on, and waits for its URL. */
async function startProxy(name, mode) {
  const child = spawn(
    process.execPath,
    [
      '--inspect=127.0.0.1:0',
      join(root, 'bin/patchbay.js'),
      'run',
      '--port',
      '0',
      '--mode',
      mode,
      '--max-processes',
      '64',
      '--max-sessions',
      '500',
      '--',
      process.execPath,
      FIXTURE,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s) => (out += s.length < 10_000 ? s : ''));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const printed = /Streamable HTTP\s+(http:\/\/127\.0\.0\.1:(\d+)\/mcp\S*)/.exec(out);
    const port = printed?.[2];
    const ws = /Debugger listening on (ws:\/\/\S+)/.exec(out)?.[1];
    if (port && ws) {
      return {
        name,
        mode,
        child,
        port: Number(port),
        // The key its printed URL carries (issue 16), sent as a header on every request.
        key: new URL(printed[1]).searchParams.get('key'),
        wsUrl: ws,
        agent: new Agent({ keepAlive: true, maxSockets: 256 }),
        samples: [],
        output: () => out,
      };
    }
    if (child.exitCode !== null) break;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start:\n${out}`);
}

/** Full GC in the proxy, then its heap + buffers (what it really keeps). */
async function heapAfterGc(proxy) {
  const ws = new WebSocket(proxy.wsUrl);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  let id = 0;
  const call = (method, params = {}) =>
    new Promise((r) => {
      const my = ++id;
      const on = (d) => {
        const m = JSON.parse(d.toString());
        if (m.id !== my) return;
        ws.off('message', on);
        r(m.result);
      };
      ws.on('message', on);
      ws.send(JSON.stringify({ id: my, method, params }));
    });
  await call('HeapProfiler.collectGarbage');
  await call('HeapProfiler.collectGarbage');
  const r = await call('Runtime.evaluate', {
    expression: 'JSON.stringify(process.memoryUsage())',
    returnByValue: true,
  });
  ws.close();
  const m = JSON.parse(r.result.value);
  return { heap: m.heapUsed + m.external + m.arrayBuffers, rss: m.rss };
}

function stat(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    rss: Number(/^VmRSS:\s+(\d+)/m.exec(status)[1]) * 1024,
    fds: readdirSync(`/proc/${pid}/fd`).length,
  };
}

// ------------------------------------------------------------------ the wire

const stats = {
  sent: 0,
  ok: 0,
  rpcErrors: 0,
  httpErrors: 0,
  cancelled: 0,
  lost: 0,
  lostDetail: [],
  progress: 0,
  reinits: 0,
  crashes: [],
  byStatus: {},
};

/** One HTTP exchange; resolves with status, headers and the body (SSE kept as text). */
function http(proxy, { method = 'POST', path = '/mcp', headers = {}, body, onData, signal }) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: proxy.port,
        method,
        path,
        agent: proxy.agent,
        headers: proxy.key ? { authorization: `Bearer ${proxy.key}`, ...headers } : headers,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          text += d;
          onData?.(text);
        });
        res.once('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
        res.once('aborted', () =>
          resolve({ status: res.statusCode, headers: res.headers, text, aborted: true }),
        );
        res.once('error', () =>
          resolve({ status: res.statusCode, headers: res.headers, text, aborted: true }),
        );
      },
    );
    req.once('error', reject);
    signal?.addEventListener('abort', () => req.destroy(), { once: true });
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function sseMessages(text) {
  const out = [];
  for (const block of text.split('\n\n')) {
    const data = block
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => l.slice(6))
      .join('\n');
    if (!data || !block.includes('event: message')) continue;
    try {
      out.push(JSON.parse(data));
    } catch {
      // a frame cut by the end of what we have so far
    }
  }
  return out;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];

// ------------------------------------------------------------------ sessions

class StreamableSession {
  constructor(proxy, n, version) {
    this.proxy = proxy;
    this.n = n;
    this.version = version;
    this.id = undefined;
    this.nextId = 1;
    this.get = undefined;
  }

  headers(extra = {}) {
    return {
      'content-type': 'application/json',
      'mcp-protocol-version': this.version,
      ...(this.id ? { 'mcp-session-id': this.id } : {}),
      ...extra,
    };
  }

  async init() {
    for (;;) {
      this.get?.abort();
      const res = await http(this.proxy, {
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: {
          jsonrpc: '2.0',
          id: 0,
          method: 'initialize',
          params: {
            protocolVersion: this.version,
            capabilities: {},
            clientInfo: { name: `soak-${this.n}`, version: '1' },
          },
        },
      }).catch(() => ({ status: 0 }));
      if (res.status === 200) {
        this.id = res.headers['mcp-session-id'];
        this.version = JSON.parse(res.text).result.protocolVersion;
        await http(this.proxy, {
          headers: this.headers(),
          body: { jsonrpc: '2.0', method: 'notifications/initialized' },
        });
        // Every other session keeps a GET stream open, where JSON-answered calls spill progress.
        if (this.n % 2 === 0) {
          const abort = new AbortController();
          this.get = abort;
          void http(this.proxy, {
            method: 'GET',
            headers: this.headers({ accept: 'text/event-stream' }),
            signal: abort.signal,
          }).catch(() => {});
        }
        return;
      }
      await sleep(res.status === 503 ? 300 : 1000); // a shared server restarting answers 503
    }
  }

  /** Sends one request; resolves once it is answered, cancelled, or lost. */
  async call(method, params, { sse = true, cancelAfterMs } = {}) {
    const id = `${this.n}-${this.nextId++}`;
    stats.sent++;
    const abort = new AbortController();
    let answered = false;
    const timer = setTimeout(() => abort.abort(), DEADLINE_MS);
    let cancelled = false;
    if (cancelAfterMs !== undefined) {
      setTimeout(() => {
        if (answered) return;
        cancelled = true;
        void http(this.proxy, {
          headers: this.headers(),
          body: {
            jsonrpc: '2.0',
            method: 'notifications/cancelled',
            params: { requestId: id, reason: 'soak' },
          },
        }).catch(() => {});
      }, cancelAfterMs);
    }
    try {
      const res = await http(this.proxy, {
        headers: this.headers({ accept: sse ? 'application/json, text/event-stream' : 'application/json' }),
        body: { jsonrpc: '2.0', id, method, params },
        signal: abort.signal,
      });
      stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
      if (res.status === 202 && cancelled) {
        stats.cancelled++; // a JSON-answered call that was cancelled: no response comes
        return;
      }
      if (res.status === 404) {
        stats.httpErrors++;
        stats.reinits++;
        await this.init();
        return;
      }
      if (res.status !== 200) {
        stats.httpErrors++;
        return;
      }
      const msgs = res.headers['content-type']?.startsWith('text/event-stream')
        ? sseMessages(res.text)
        : [JSON.parse(res.text)];
      stats.progress += msgs.filter((m) => m.method === 'notifications/progress').length;
      const answer = msgs.find((m) => m.id === id && !m.method);
      if (answer) {
        answered = true;
        if (answer.error) stats.rpcErrors++;
        else stats.ok++;
      } else if (cancelled) {
        stats.cancelled++; // the spec: a cancelled request gets no response
      } else {
        stats.lost++;
        stats.lostDetail.push(
          `${this.proxy.name} ${method} ${id}: stream ended without an answer: ${res.text.slice(-300)}`,
        );
      }
    } catch (err) {
      if (cancelled) stats.cancelled++;
      else {
        stats.lost++;
        stats.lostDetail.push(`${this.proxy.name} ${method} ${id}: ${err.message}`);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async loop(until) {
    await this.init();
    while (Date.now() < until) {
      const roll = Math.random();
      if (roll < 0.35)
        await this.call(
          'tools/call',
          { name: 'echo', arguments: { text: `soak ${this.n}` } },
          { sse: Math.random() < 0.5 },
        );
      else if (roll < 0.55)
        await this.call(
          'tools/call',
          {
            name: 'slow',
            arguments: { ms: 100 + Math.floor(Math.random() * 500), steps: 3 },
            _meta: { progressToken: `p-${this.n}-${this.nextId}` },
          },
          { sse: Math.random() < 0.7 },
        );
      else if (roll < 0.62)
        await this.call('tools/call', {
          name: 'big',
          arguments: { bytes: 10_000 + Math.floor(Math.random() * 200_000) },
        });
      else if (roll < 0.7)
        await this.call('tools/call', { name: 'log', arguments: { level: 'info', message: 'soak' } });
      else if (roll < 0.8) await this.call('tools/list', {}, { sse: false });
      else if (roll < 0.88) await this.call('ping', {}, { sse: false });
      else if (roll < 0.93)
        await this.call(
          'tools/call',
          { name: 'slow', arguments: { ms: 5000, steps: 10 } },
          { cancelAfterMs: 200 + Math.random() * 800 },
        );
      else await this.call('tools/call', { name: 'noise', arguments: { lines: 3 } }, { sse: false });
      await sleep(20 + Math.random() * 200);
    }
    this.get?.abort();
    if (this.id) await http(this.proxy, { method: 'DELETE', headers: this.headers() }).catch(() => {});
  }
}

class LegacySession {
  constructor(proxy, n) {
    this.proxy = proxy;
    this.n = n;
    this.nextId = 1;
    this.waiting = new Map();
    this.endpoint = undefined;
  }

  async open() {
    for (;;) {
      const ready = new Promise((resolve) => {
        this.abort = new AbortController();
        let seen = 0;
        void http(this.proxy, {
          method: 'GET',
          path: '/sse',
          headers: { accept: 'text/event-stream' },
          signal: this.abort.signal,
          onData: (text) => {
            if (!this.endpoint && /event: endpoint\ndata: (\S+)\n/.test(text)) {
              const url = new URL(/event: endpoint\ndata: (\S+)\n/.exec(text)[1]);
              this.endpoint = `${url.pathname}${url.search}`;
              resolve(true);
            }
            const msgs = sseMessages(text);
            for (const m of msgs.slice(seen)) {
              if (m.method === 'notifications/progress') stats.progress++;
              const w = m.method === undefined ? this.waiting.get(m.id) : undefined;
              if (w) {
                this.waiting.delete(m.id);
                w(m);
              }
            }
            seen = msgs.length;
          },
        })
          .then(() => this.streamEnded())
          .catch(() => this.streamEnded());
        setTimeout(() => resolve(false), 10_000);
      });
      if (await ready) break;
      this.abort.abort();
      await sleep(500);
    }
    await this.request(
      'initialize',
      {
        protocolVersion: '2024-11-05',
        capabilities: {},
        clientInfo: { name: `legacy-${this.n}`, version: '1' },
      },
      false,
    );
    await http(this.proxy, {
      path: this.endpoint,
      headers: { 'content-type': 'application/json' },
      body: { jsonrpc: '2.0', method: 'notifications/initialized' },
    }).catch(() => {});
  }

  /** The stream ended (a crash ended the session): requests still waiting on it are lost. */
  streamEnded() {
    this.endpoint = undefined;
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w(undefined);
    }
  }

  async request(method, params, count = true) {
    const id = this.nextId++;
    if (count) stats.sent++;
    const answer = new Promise((resolve) => {
      this.waiting.set(id, resolve);
      setTimeout(() => {
        if (this.waiting.delete(id)) resolve(null);
      }, DEADLINE_MS);
    });
    const post = await http(this.proxy, {
      path: this.endpoint ?? '/messages?sessionId=gone',
      headers: { 'content-type': 'application/json' },
      body: { jsonrpc: '2.0', id, method, params },
    }).catch(() => ({ status: 0 }));
    if (!count) return answer;
    stats.byStatus[post.status] = (stats.byStatus[post.status] ?? 0) + 1;
    if (post.status !== 202) {
      this.waiting.delete(id);
      stats.httpErrors++;
      return undefined;
    }
    const m = await answer;
    if (m === null) {
      stats.lost++;
      stats.lostDetail.push(`${this.proxy.name} legacy ${method} ${id}: no answer in ${DEADLINE_MS} ms`);
    } else if (m === undefined) {
      // The stream ended before the answer: it may only end after the session's pending
      // requests were answered with errors, so this is lost.
      stats.lost++;
      stats.lostDetail.push(`${this.proxy.name} legacy ${method} ${id}: stream ended first`);
    } else if (m.error) stats.rpcErrors++;
    else stats.ok++;
    return m;
  }

  async loop(until) {
    await this.open();
    while (Date.now() < until) {
      if (!this.endpoint) {
        stats.reinits++;
        await this.open();
      }
      const roll = Math.random();
      if (roll < 0.5)
        await this.request('tools/call', { name: 'echo', arguments: { text: `legacy ${this.n}` } });
      else if (roll < 0.8)
        await this.request('tools/call', {
          name: 'slow',
          arguments: { ms: 100 + Math.floor(Math.random() * 400), steps: 3 },
          _meta: { progressToken: `lp-${this.n}-${this.nextId}` },
        });
      else await this.request('tools/list', {});
      await sleep(20 + Math.random() * 200);
    }
    this.abort?.abort();
  }
}

// ------------------------------------------------------------------ crashes

/** Live child processes of `pid` (the proxy's server processes). */
function childrenOf(pid) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const st = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = st.slice(st.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === pid && state !== 'Z') out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

/** SIGKILLs one of the proxy's server processes, whichever session (or spare) it serves. */
function injectCrash(proxy) {
  const pids = childrenOf(proxy.child.pid);
  const pid = pick(pids);
  if (pid === undefined) return;
  process.kill(pid, 'SIGKILL');
  stats.crashes.push({
    proxy: proxy.name,
    pid,
    of: pids.length,
    at: Math.round((Date.now() - proxy.started) / 1000),
  });
}

// ------------------------------------------------------------------ run

async function main() {
  const isolated = await startProxy('isolated', 'isolated');
  const shared = await startProxy('shared', 'shared');
  const proxies = [isolated, shared];
  const started = Date.now();
  for (const p of proxies) p.started = started;
  const until = started + MINUTES * 60_000;
  console.log(
    `soak: ${MINUTES} min, ${SESSIONS} sessions, a crash every ${CRASH_EVERY_MS / 1000} s; isolated :${isolated.port}, shared :${shared.port}`,
  );

  const sampler = setInterval(() => {
    for (const p of proxies)
      p.samples.push({ t: Math.round((Date.now() - started) / 1000), ...stat(p.child.pid) });
  }, 10_000);
  let crashTurn = 0;
  const crasher = setInterval(() => {
    const target = crashTurn++ % 2 === 0 ? isolated : shared;
    injectCrash(target);
  }, CRASH_EVERY_MS);
  let warm;
  const warmTimer = setTimeout(
    async () => {
      warm = await Promise.all(proxies.map((p) => heapAfterGc(p)));
    },
    MINUTES * 60_000 * 0.4,
  ); // bounded stores (frame ring, event stores) are full by then

  const sessions = [];
  const legacy = Math.round(SESSIONS * 0.2);
  const sharedCount = Math.round(SESSIONS * 0.3);
  const versions = ['2025-03-26', '2025-06-18', '2025-11-25'];
  for (let n = 0; n < SESSIONS; n++) {
    if (n < legacy) sessions.push(new LegacySession(isolated, n));
    else if (n < legacy + sharedCount) sessions.push(new StreamableSession(shared, n, pick(versions)));
    else sessions.push(new StreamableSession(isolated, n, versions[n % 3]));
  }
  const progressTimer = setInterval(() => {
    console.log(
      `  ${Math.round((Date.now() - started) / 1000)} s: ${stats.sent} sent, ${stats.ok} ok, ${stats.rpcErrors} rpc errors, ${stats.httpErrors} http errors, ${stats.cancelled} cancelled, ${stats.lost} lost; crashes ${stats.crashes.length}; ` +
        proxies.map((p) => `${p.name} RSS ${(stat(p.child.pid).rss / MiB).toFixed(0)} MiB`).join(', '),
    );
  }, 30_000);
  await Promise.all(sessions.map((s) => s.loop(until)));
  clearInterval(sampler);
  clearInterval(crasher);
  clearInterval(progressTimer);
  clearTimeout(warmTimer);
  await sleep(1000);
  const end = await Promise.all(proxies.map((p) => heapAfterGc(p)));
  const final = proxies.map((p) => stat(p.child.pid));
  for (const p of proxies) p.child.kill('SIGTERM');

  const report = {
    minutes: MINUTES,
    sessions: SESSIONS,
    requests: stats.sent,
    ok: stats.ok,
    rpcErrors: stats.rpcErrors,
    httpErrors: stats.httpErrors,
    cancelled: stats.cancelled,
    lost: stats.lost,
    progressNotifications: stats.progress,
    reinitializations: stats.reinits,
    httpStatus: stats.byStatus,
    crashes: stats.crashes,
    memory: proxies.map((p, i) => ({
      proxy: p.name,
      rssMiB: p.samples.map((s) => `${s.t}s:${(s.rss / MiB).toFixed(0)}`).join(' '),
      fds: `${p.samples[0]?.fds} → ${final[i].fds}`,
      heapAfterGcMiB: `${warm ? (warm[i].heap / MiB).toFixed(1) : '?'} (at 40%) → ${(end[i].heap / MiB).toFixed(1)} (end)`,
      rssAfterGcMiB: `${warm ? (warm[i].rss / MiB).toFixed(0) : '?'} (at 40%) → ${(end[i].rss / MiB).toFixed(0)} (end)`,
    })),
    lostDetail: stats.lostDetail.slice(0, 20),
  };
  console.log(JSON.stringify(report, null, 2));
  const heapGrowth = warm ? Math.max(...end.map((e, i) => e.heap - warm[i].heap)) : 0;
  // Under 2 minutes the bounded stores (frame ring, event stores) are still filling at 40%:
  // the heap is reported, not judged.
  const judgeMemory = MINUTES >= 2;
  const failed = stats.lost > 0 || (judgeMemory && heapGrowth > 32 * MiB);
  console.log(
    failed
      ? `soak: FAILED (${stats.lost} lost, heap growth ${(heapGrowth / MiB).toFixed(1)} MiB)`
      : `soak: passed: ${stats.sent} requests, 0 lost, ${stats.crashes.length} crashes, heap growth ${(heapGrowth / MiB).toFixed(1)} MiB${judgeMemory ? '' : ' (not judged: under 2 minutes)'}`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
