import { type IncomingHttpHeaders, type Server, createServer, request } from 'node:http';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../support/cli-process';
import { FIXTURE } from '../support/engine-client';
import { type RunningNginx, ensureNginx, startNginx } from '../support/nginx';

// Issue 10, through nginx: Debian's nginx in front of `patchbay run`, configured like a
// typical site that holds event streams back (response buffering, gzip on
// text/event-stream, proxy_cache on the location). First the test shows it can fail: a
// control SSE endpoint without `X-Accel-Buffering: no` reaches the client in one burst at
// the end. Then progress sent every 300 ms reaches the client every ~300 ms through the
// same nginx, on a POST stream, a GET stream and legacy SSE.

const found = ensureNginx();
const INTERVAL = 300;
const STEPS = 6;

/** One SSE frame as the client saw it: when it arrived (ms since the request) and its text. */
interface Arrival {
  at: number;
  frame: string;
}

interface SseRead {
  status: number;
  headers: IncomingHttpHeaders;
  frames: Arrival[];
  /** Everything decoded so far (a JSON body has no frames). */
  text(): string;
  /** Resolves once a frame matching `match` arrived (or rejects after `timeoutMs`). */
  waitFor(match: (frame: string) => boolean, timeoutMs?: number): Promise<Arrival>;
  ended: Promise<void>;
  close(): void;
}

/**
 * A request through nginx that asks for gzip (as fetch-based clients do) and records each
 * SSE frame when it comes out of the decompressor.
 */
/** Patchbay's key as a header, when its printed URL carries one (issue 16). */
let auth: Record<string, string> = {};

function sseRequest(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<SseRead> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        agent: false,
        headers: { 'accept-encoding': 'gzip', ...auth, ...opts.headers },
      },
      (res) => {
        const frames: Arrival[] = [];
        const waiters = new Set<() => void>();
        const body = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
        let pending = '';
        let all = '';
        body.setEncoding('utf8');
        body.on('data', (text: string) => {
          const at = performance.now() - started;
          pending += text;
          all += text;
          for (let cut = pending.indexOf('\n\n'); cut !== -1; cut = pending.indexOf('\n\n')) {
            frames.push({ at, frame: pending.slice(0, cut + 2) });
            pending = pending.slice(cut + 2);
          }
          for (const w of [...waiters]) w();
        });
        // The decompressor's end, not the socket's: it may still hold the last frames then.
        const ended = new Promise<void>((r) => {
          body.once('end', () => r());
          body.once('close', () => r());
          res.once('aborted', () => r());
        });
        body.on('error', () => {});
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          frames,
          text: () => all,
          ended,
          close: () => req.destroy(),
          waitFor: (match, timeoutMs = 10_000) =>
            new Promise((ok, fail) => {
              const check = () => {
                const f = frames.find((a) => match(a.frame));
                if (!f) return;
                waiters.delete(check);
                clearTimeout(timer);
                ok(f);
              };
              const timer = setTimeout(() => {
                waiters.delete(check);
                fail(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(frames)}`));
              }, timeoutMs);
              waiters.add(check);
              check();
            }),
        });
      },
    );
    req.once('error', reject);
    req.end(opts.body);
  });
}

/** A JSON POST through nginx; the decoded body as text. */
function post(
  port: number,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return sseRequest(port, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  }).then(async (r) => {
    await r.ended;
    return { status: r.status, headers: r.headers, text: r.text() };
  });
}

/** Gaps between consecutive arrivals, in ms. */
function gaps(arrivals: Arrival[]): number[] {
  return arrivals.slice(1).map((a, i) => Math.round(a.at - arrivals[i]!.at));
}

/**
 * Asserts that frames sent `INTERVAL` ms apart arrived about `INTERVAL` ms apart: none
 * held back and released together with the next.
 */
function expectAsSent(arrivals: Arrival[], what: string): void {
  expect(arrivals.length, what).toBe(STEPS);
  for (const gap of gaps(arrivals)) {
    expect(gap, `${what}: gaps ${gaps(arrivals).join(', ')} ms`).toBeGreaterThanOrEqual(INTERVAL / 2);
    expect(gap, `${what}: gaps ${gaps(arrivals).join(', ')} ms`).toBeLessThan(INTERVAL * 3);
  }
}

const progressFrames = (r: SseRead) => r.frames.filter((a) => a.frame.includes('notifications/progress'));
const summary = (arrivals: Arrival[]) =>
  `at ${arrivals.map((a) => Math.round(a.at)).join(', ')} ms (gaps ${gaps(arrivals).join(', ')})`;

describe.skipIf('missing' in found)(
  `through nginx${'missing' in found ? ` (skipped: ${found.missing})` : ''}`,
  () => {
    const nginxPath = 'path' in found ? found.path : '';
    let control: Server;
    let controlNginx: RunningNginx;
    let cli: Awaited<ReturnType<typeof startCli>>;
    let nginx: RunningNginx;
    let patchbayPort: number;

    beforeAll(async () => {
      // The control: SSE without X-Accel-Buffering, a frame every INTERVAL ms, then the end.
      control = createServer((req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        res.flushHeaders();
        let n = 0;
        const timer = setInterval(() => {
          res.write(
            `event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":${++n}}}\n\n`,
          );
          if (n === STEPS) {
            clearInterval(timer);
            res.end();
          }
        }, INTERVAL);
        req.once('close', () => clearInterval(timer));
      });
      await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
      controlNginx = await startNginx(nginxPath, (control.address() as { port: number }).port);

      cli = await startCli(
        ['run', '--port', '0', '--', process.execPath, FIXTURE],
        /Streamable HTTP\s+http:\/\/127\.0\.0\.1:(\d+)\/mcp(\S*)/,
      );
      patchbayPort = Number(cli.match[1]);
      const key = new URLSearchParams(cli.match[2]).get('key');
      auth = key === null ? {} : { authorization: `Bearer ${key}` };
      nginx = await startNginx(nginxPath, patchbayPort);
    });
    afterAll(async () => {
      await nginx?.stop();
      await controlNginx?.stop();
      await cli?.stop('SIGTERM');
      await new Promise<void>((r) => (control ? control.close(() => r()) : r()));
    });

    it('the control stream without X-Accel-Buffering arrives in one burst at the end (the test can fail)', async () => {
      const s = await sseRequest(controlNginx.port, {
        path: '/control',
        headers: { accept: 'text/event-stream' },
      });
      await s.ended;
      expect(s.headers['content-encoding']).toBe('gzip'); // nginx compressed it
      const arrivals = progressFrames(s);
      console.log(
        `[nginx control] ${arrivals.length} frames sent every ${INTERVAL} ms arrived ${summary(arrivals)}`,
      );
      expect(arrivals).toHaveLength(STEPS);
      expect(() => expectAsSent(arrivals, 'control')).toThrow();
      // All at once, after the last was sent.
      expect(arrivals.at(-1)!.at - arrivals[0]!.at).toBeLessThan(INTERVAL / 2);
      expect(arrivals[0]!.at).toBeGreaterThan(INTERVAL * (STEPS - 1));
    });

    async function openSession(): Promise<string> {
      const init = await post(nginx.port, '/mcp', {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'via-nginx', version: '1' },
        },
      });
      expect(init.status, init.text).toBe(200);
      const session = init.headers['mcp-session-id'] as string;
      const note = await post(
        nginx.port,
        '/mcp',
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        {
          'mcp-session-id': session,
        },
      );
      expect(note.status).toBe(202);
      return session;
    }

    const slowCall = (id: string) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: {
        name: 'slow',
        arguments: { ms: INTERVAL * STEPS, steps: STEPS },
        _meta: { progressToken: `tok-${id}` },
      },
    });

    it('POST stream: each progress frame arrives as it is sent, then the response', async () => {
      const session = await openSession();
      const s = await sseRequest(nginx.port, {
        method: 'POST',
        path: '/mcp',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': session,
        },
        body: JSON.stringify(slowCall('post-1')),
      });
      expect(s.status).toBe(200);
      expect(s.headers['content-type']).toBe('text/event-stream');
      await s.ended;
      const arrivals = progressFrames(s);
      console.log(
        `[nginx POST stream] progress every ${INTERVAL} ms arrived ${summary(arrivals)}; content-encoding ${s.headers['content-encoding'] ?? 'none'}`,
      );
      expectAsSent(arrivals, 'POST stream');
      const response = s.frames.find((a) => a.frame.includes('"id":"post-1"'))!;
      expect(response.at).toBeGreaterThanOrEqual(arrivals.at(-1)!.at);
    });

    it('GET stream: progress of a JSON-answered call comes on the GET stream as it is sent', async () => {
      const session = await openSession();
      const get = await sseRequest(nginx.port, {
        path: '/mcp',
        headers: { accept: 'text/event-stream', 'mcp-session-id': session },
      });
      expect(get.status).toBe(200);
      const call = post(nginx.port, '/mcp', slowCall('get-1'), { 'mcp-session-id': session });
      await get.waitFor((f) => f.includes('"progress":6'), 10_000);
      const answer = await call;
      expect(answer.text).toContain('"id":"get-1"');
      get.close();
      const arrivals = progressFrames(get);
      console.log(`[nginx GET stream] progress every ${INTERVAL} ms arrived ${summary(arrivals)}`);
      expectAsSent(arrivals, 'GET stream');
    });

    it('legacy SSE: the endpoint event at once, then progress as it is sent', async () => {
      const sse = await sseRequest(nginx.port, { path: '/sse', headers: { accept: 'text/event-stream' } });
      expect(sse.status).toBe(200);
      const endpoint = await sse.waitFor((f) => f.startsWith('event: endpoint'), 3000);
      expect(endpoint.at).toBeLessThan(1000);
      // The endpoint URL names the Host nginx sent (its proxy_pass address); a client behind
      // nginx posts to the same path and query on nginx.
      const url = new URL(/data: (\S+)/.exec(endpoint.frame)![1]!);
      const send = (body: unknown) => post(nginx.port, `${url.pathname}${url.search}`, body);
      expect(
        (
          await send({
            jsonrpc: '2.0',
            id: 1,
            method: 'initialize',
            params: {
              protocolVersion: '2024-11-05',
              capabilities: {},
              clientInfo: { name: 'legacy-via-nginx', version: '1' },
            },
          })
        ).status,
      ).toBe(202);
      await sse.waitFor((f) => f.includes('"id":1'), 5000);
      expect((await send({ jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
      expect((await send(slowCall('legacy-1'))).status).toBe(202);
      await sse.waitFor((f) => f.includes('"id":"legacy-1"'), 10_000);
      sse.close();
      const arrivals = progressFrames(sse);
      console.log(`[nginx legacy SSE] progress every ${INTERVAL} ms arrived ${summary(arrivals)}`);
      expectAsSent(arrivals, 'legacy SSE');
    });
  },
);
