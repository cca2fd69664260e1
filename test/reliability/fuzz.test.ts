import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningCli, startCli } from '../support/cli-process';
import { FIXTURE } from '../support/engine-client';
import {
  type RawStream,
  initializeMessage,
  openSession,
  parseSse,
  postRpc,
  sseMessages,
  stream,
} from '../support/http-wire';
import { MiB, fdCount, rssBytes } from '../support/proc-stats';
import { type RawAnswer, rawExchange } from '../support/raw-http';
import { type FuzzCase, type FuzzContext, FuzzGen } from './fuzz-cases';

// Issue 10, Bad input: a bounded fuzz run (fixed seed) of methods, paths, headers and bodies
// against /mcp, /sse and /messages of `patchbay run` (shared mode: every case reaches the one
// process that also serves the well-behaved clients). Every case must get a well-formed HTTP
// answer, the proxy must stay up, and an SDK client on Streamable HTTP and one on legacy SSE,
// running all along, must see every call answered correctly. The hand-picked versions of
// these cases are in test/integration/http-protocol.test.ts ("bodies and JSON-RPC shape",
// "headers", "Origin and Host").

const SEED = 20_261_121;
const CASES = Number(process.env.FUZZ_CASES ?? 5000);
const WORKERS = Number(process.env.FUZZ_WORKERS ?? 8);
const ALLOWED = new Set([200, 202, 204, 400, 401, 403, 404, 405, 406, 413, 415, 431, 503]);

const running: RunningCli[] = [];
const streams: RawStream[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.destroy();
  for (const cli of running.splice(0)) await cli.stop('SIGTERM');
});

/** What is wrong with an answer, or undefined when it is a well-formed one. */
function judge(c: FuzzCase, a: RawAnswer): string | undefined {
  if (!ALLOWED.has(a.status)) return `status ${a.status}`;
  const type = a.headers['content-type'] ?? '';
  const text = a.body.toString('utf8');
  if (c.method === 'HEAD') return undefined;
  if (a.status === 202 || a.status === 204) return text === '' ? undefined : `${a.status} with a body`;
  if (c.method === 'DELETE' && a.status === 200) return text === '' ? undefined : 'DELETE 200 with a body';
  if (type.startsWith('application/json')) {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      return `JSON content type, body not JSON: ${text.slice(0, 200)}`;
    }
    const items = Array.isArray(v) ? (v as unknown[]) : [v];
    for (const item of items) {
      const m = item as {
        jsonrpc?: unknown;
        id?: unknown;
        result?: unknown;
        error?: { code?: unknown; message?: unknown };
      };
      if (m?.jsonrpc !== '2.0' || !('id' in m)) return `not a JSON-RPC response: ${text.slice(0, 200)}`;
      if (a.status >= 400 && (typeof m.error?.code !== 'number' || typeof m.error.message !== 'string')) {
        return `error status without a JSON-RPC error: ${text.slice(0, 200)}`;
      }
      if (m.error === undefined && !('result' in m)) return `neither result nor error: ${text.slice(0, 200)}`;
    }
    return undefined;
  }
  if (type.startsWith('text/event-stream')) {
    if (a.status !== 200) return `SSE with status ${a.status}`;
    if (a.headers['x-accel-buffering'] !== 'no') return 'SSE without X-Accel-Buffering: no';
    try {
      // Strict: every frame `event: message|endpoint`, data present, fields in order.
      const { rest } = parseSse(text);
      if (!a.openStream && rest !== '')
        return `SSE body ends mid-frame: ${JSON.stringify(rest.slice(0, 200))}`;
      sseMessages(text.slice(0, text.length - rest.length));
    } catch (err) {
      return `bad SSE: ${(err as Error).message.slice(0, 300)}`;
    }
    return undefined;
  }
  // Node's own refusal of what it cannot parse (bad method, header, framing): a bare 400/431.
  if ((a.status === 400 || a.status === 431) && a.headers['connection'] === 'close' && text === '')
    return undefined;
  return `status ${a.status} with content-type "${type}" and body ${JSON.stringify(text.slice(0, 200))}`;
}

/** An SDK client that calls echo (and slow, with progress) until told to stop; counts what went wrong. */
function wellBehaved(kind: 'streamable' | 'legacy', urls: { mcp: string; sse: string }) {
  const stats = { calls: 0, progress: 0, errors: [] as string[] };
  let stop = false;
  const done = (async () => {
    const client = new Client({ name: `good-${kind}`, version: '1' });
    const transport =
      kind === 'streamable'
        ? new StreamableHTTPClientTransport(new URL(urls.mcp))
        : new SSEClientTransport(new URL(urls.sse));
    await client.connect(transport);
    try {
      for (let i = 0; !stop; i++) {
        try {
          if (i % 5 === 4) {
            const r = await client.callTool({ name: 'slow', arguments: { ms: 100, steps: 2 } }, undefined, {
              onprogress: () => stats.progress++,
            });
            if ((r.content as { text: string }[])[0]?.text !== 'done')
              stats.errors.push(`slow ${i}: ${JSON.stringify(r)}`);
          } else {
            const text = `${kind} ${i} é😀`;
            const r = await client.callTool({ name: 'echo', arguments: { text } });
            if ((r.content as { text: string }[])[0]?.text !== text)
              stats.errors.push(`echo ${i}: ${JSON.stringify(r)}`);
          }
          stats.calls++;
        } catch (err) {
          stats.errors.push(`${kind} call ${i}: ${(err as Error).message}`);
        }
      }
    } finally {
      await client.close();
    }
  })();
  return { stats, stop: async () => ((stop = true), await done) };
}

describe('fuzz', () => {
  it(`${CASES} cases (seed ${SEED}) against /mcp, /sse and /messages: well-formed answers, proxy up, a good client unaffected`, async () => {
    const cli = await startCli(
      ['run', '--port', '0', '--mode', 'shared', '--max-sessions', '100000', '--', process.execPath, FIXTURE],
      /Streamable HTTP\s+(http:\/\/127\.0\.0\.1:(\d+)\/mcp\S*)\s+Legacy SSE\s+(\S+)/,
    );
    running.push(cli);
    const port = Number(cli.match[2]);
    // The printed URLs (with ?key=… when the proxy requires a key) for the SDK clients; the
    // key as a header for the raw requests.
    const urls = { mcp: cli.match[1]!, sse: cli.match[3]! };
    const key = new URL(urls.mcp).searchParams.get('key') ?? undefined;
    const auth: Record<string, string> = key === undefined ? {} : { authorization: `Bearer ${key}` };
    const pid = cli.child.pid!;

    // Shared mode answers every initialize after the first from the cached result, so all
    // pool sessions speak the revision the first one negotiated.
    const ctx: FuzzContext = { port, sessions: [], legacySession: '', ...(key ? { key } : {}) };
    for (const version of ['2025-03-26', '2025-03-26', '2025-03-26']) {
      ctx.sessions.push({ id: await openSession(port, version, auth), version });
    }
    const legacy = stream(port, { path: '/sse', headers: { ...auth, accept: 'text/event-stream' } });
    streams.push(legacy);
    const endpoint = await legacy.waitFor((b) => /event: endpoint\ndata: \S+\n\n/.test(b), 5000, 'endpoint');
    ctx.legacySession = new URL(/data: (\S+)/.exec(endpoint)![1]!).searchParams.get('sessionId')!;

    const good = [wellBehaved('streamable', urls), wellBehaved('legacy', urls)];
    const before = { rss: rssBytes(pid), fds: fdCount(pid) };
    const gen = new FuzzGen(SEED);

    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (next < CASES) {
          // Made when sent, so that it names the pool sessions alive now.
          const c = gen.next(next++, ctx);
          const result = await rawExchange(port, c.bytes, {
            timeoutMs: 10_000,
            sseHeadersOnly: c.method === 'GET',
            head: c.method === 'HEAD',
          });
          if (!result.ok) {
            failures.push(
              `#${c.n} ${c.label}: ${result.why}; got ${JSON.stringify(result.received.slice(0, 200))}; sent ${JSON.stringify(c.bytes.toString('latin1').slice(0, 400))}`,
            );
            continue;
          }
          const a = result.answer;
          if (process.env['FUZZ_DEBUG'])
            console.log(`#${c.n} ${c.label} → ${a.status} ${a.body.toString().slice(0, 150)}`);
          statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
          const problem = judge(c, a);
          if (problem) failures.push(`#${c.n} ${c.label}: ${problem}`);
          // A pool session the fuzz ended is replaced, so later cases still reach a live one.
          const pooled = ctx.sessions.findIndex((s) => s.id === c.session);
          if (c.method === 'DELETE' && a.status === 200 && pooled !== -1) {
            const version = ctx.sessions[pooled]!.version;
            ctx.sessions[pooled] = { id: await openSession(port, version, auth), version };
          }
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const stats = await Promise.all(good.map(async (g) => (await g.stop(), g.stats)));

    // Still up and serving: a new session works.
    expect(cli.child.exitCode).toBeNull();
    const init = await postRpc(port, initializeMessage('2025-06-18'), {
      ...auth,
      accept: 'application/json',
    });
    expect(init.status).toBe(200);
    // The legacy stream the fuzz wrote into is still well-formed.
    expect(() =>
      sseMessages(legacy.text().slice(0, legacy.text().length - parseSse(legacy.text()).rest.length)),
    ).not.toThrow();

    const after = { rss: rssBytes(pid), fds: fdCount(pid) };
    const byStatus = [...statuses.entries()]
      .sort((x, y) => x[0] - y[0])
      .map(([s, k]) => `${s}×${k}`)
      .join(' ');
    console.log(
      `[fuzz] ${CASES} cases in ${seconds.toFixed(1)} s (seed ${SEED}): ${byStatus}; ${failures.length} failures; ` +
        `good clients: ${stats.map((s) => `${s.calls} calls, ${s.progress} progress, ${s.errors.length} errors`).join(' / ')}; ` +
        `proxy RSS ${(before.rss / MiB).toFixed(0)} → ${(after.rss / MiB).toFixed(0)} MiB, fds ${before.fds} → ${after.fds}`,
    );
    if (failures.length > 0) console.log(cli.output().slice(-3000));
    expect(failures.slice(0, 25)).toEqual([]);
    for (const s of stats) {
      expect(s.errors).toEqual([]);
      expect(s.calls).toBeGreaterThan(20);
    }
    expect(stats[0]!.progress).toBeGreaterThan(0);
  });
});
