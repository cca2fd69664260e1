import { afterEach, describe, expect, it } from 'vitest';
import { startEndpoint } from '../../src/main/core/http/endpoint-server';
import { ServerRuntime } from '../../src/main/core/routing/server-runtime';
import { fixtureConfig } from '../support/engine-client';
import { descendants } from '../support/proc-stats';
import {
  BOTH,
  type Exchange,
  cleanupAll,
  hasResponse,
  http1,
  initializeMessage,
  json,
  onCleanup,
  openSession,
  parseSse,
  postRpc,
  serve,
  sseMessages,
  stream,
  toolCall,
} from '../support/http-wire';

// PROTOCOL.md, "Every response", "POST /mcp", "Sessions", "GET /mcp": the endpoint driven
// over real sockets on 127.0.0.1, in-process (ServerRuntime + startEndpoint, no CLI).

afterEach(cleanupAll);

const T = 20_000; // every test is bounded

type RpcError = { jsonrpc: string; id?: unknown; error: { code: number; message: string } };

/** A JSON-RPC error body with no request id (`id` null or absent). */
function expectIdlessError(x: Exchange, code?: number): RpcError {
  expect(x.headers['content-type']).toMatch(/^application\/json/);
  const body = json<RpcError>(x);
  expect(body.jsonrpc).toBe('2.0');
  expect(body.id ?? null).toBeNull();
  expect(typeof body.error.message).toBe('string');
  expect(typeof body.error.code).toBe('number');
  if (code !== undefined) expect(body.error.code).toBe(code);
  return body;
}

const isolated = (opts: Parameters<typeof serve>[1] = {}, extra: Parameters<typeof fixtureConfig>[1] = {}) =>
  serve(fixtureConfig('isolated', extra), opts);

const ping = (id: number | string) => ({ jsonrpc: '2.0', id, method: 'ping' });
const listTools = (id: number | string) => ({ jsonrpc: '2.0', id, method: 'tools/list' });

describe('Origin and Host (DNS rebinding)', () => {
  it(
    'refuses an evil Origin with 403 and an id-less JSON-RPC error, on every method and path',
    async () => {
      const { port } = await isolated();
      const evil = { origin: 'http://evil.example' };
      const init = await postRpc(port, initializeMessage('2025-11-25'), evil);
      expect(init.status).toBe(403);
      expectIdlessError(init);
      expect(init.headers['mcp-session-id']).toBeUndefined();
      expect(init.headers['access-control-allow-origin']).toBeUndefined();
      for (const [method, path] of [
        ['GET', '/mcp'],
        ['DELETE', '/mcp'],
        ['GET', '/sse'],
        ['POST', '/messages?sessionId=x'],
        ['GET', '/nowhere'],
      ] as const) {
        const x = await http1(port, { method, path, headers: { ...evil, accept: 'text/event-stream' } });
        expect(x.status, `${method} ${path}`).toBe(403);
        expectIdlessError(x);
      }
      // Same host, other port; and the literal string "null" (sandboxed iframes) are foreign too.
      for (const origin of [`http://127.0.0.1:${port + 1}`, 'null', `https://localhost:${port}`]) {
        const x = await postRpc(port, initializeMessage('2025-11-25'), { origin });
        expect(x.status, origin).toBe(403);
      }
      // The loopback origins with our port are allowed.
      for (const origin of [`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`]) {
        const x = await postRpc(port, initializeMessage('2025-11-25'), {
          origin,
          accept: 'application/json',
        });
        expect(x.status, origin).toBe(200);
        expect(x.headers['access-control-allow-origin']).toBe(origin);
      }
    },
    T,
  );

  it(
    'refuses a foreign Host with 403; loopback names with our port pass; allowedHosts widens',
    async () => {
      const { port } = await isolated({ allowedHosts: ['mcp.internal:8443'] });
      for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1']) {
        const x = await postRpc(port, initializeMessage('2025-06-18'), { host });
        expect(x.status, host).toBe(403);
        expectIdlessError(x);
        expect(x.headers['mcp-session-id']).toBeUndefined();
      }
      for (const host of [
        `127.0.0.1:${port}`,
        `localhost:${port}`,
        `LOCALHOST:${port}`,
        'mcp.internal:8443',
      ]) {
        const x = await postRpc(port, initializeMessage('2025-06-18'), { host, accept: 'application/json' });
        expect(x.status, host).toBe(200);
      }
    },
    T,
  );
});

describe('CORS', () => {
  const REQUIRED_ALLOW_HEADERS = [
    'content-type',
    'accept',
    'authorization',
    'mcp-session-id',
    'mcp-protocol-version',
    'last-event-id',
    'mcp-method',
    'mcp-name',
  ];

  it(
    'answers a preflight from an allowed origin with every header the protocol needs',
    async () => {
      const { port } = await isolated({ allowedOrigins: ['https://app.example'] });
      for (const origin of [`http://localhost:${port}`, 'https://app.example']) {
        const x = await http1(port, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type, mcp-session-id, mcp-protocol-version',
          },
        });
        expect([200, 204]).toContain(x.status);
        expect(x.headers['access-control-allow-origin']).toBe(origin);
        const allowHeaders = String(x.headers['access-control-allow-headers'])
          .split(',')
          .map((h) => h.trim().toLowerCase());
        for (const h of REQUIRED_ALLOW_HEADERS) expect(allowHeaders, h).toContain(h);
        const methods = String(x.headers['access-control-allow-methods']).toUpperCase();
        for (const m of ['GET', 'POST', 'DELETE']) expect(methods).toContain(m);
      }
    },
    T,
  );

  it(
    'exposes Mcp-Session-Id and MCP-Protocol-Version on normal responses (JSON, SSE, 202)',
    async () => {
      const { port } = await isolated();
      const origin = `http://127.0.0.1:${port}`;
      const exposed = (x: { headers: Record<string, unknown> }) =>
        String(x.headers['access-control-expose-headers'])
          .split(',')
          .map((h) => h.trim().toLowerCase());
      const init = await postRpc(port, initializeMessage('2025-06-18'), {
        origin,
        accept: 'application/json',
      });
      expect(init.status).toBe(200);
      expect(exposed(init)).toEqual(expect.arrayContaining(['mcp-session-id', 'mcp-protocol-version']));
      expect(init.headers['access-control-allow-origin']).toBe(origin);
      const session = init.headers['mcp-session-id'] as string;
      const h = { origin, 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' };
      const note = await postRpc(port, { jsonrpc: '2.0', method: 'notifications/initialized' }, h);
      expect(note.status).toBe(202);
      expect(exposed(note)).toContain('mcp-session-id');
      // A call that streams (progress first) is answered as SSE; one that does not is JSON.
      const sse = await postRpc(port, toolCall(2, 'slow', { ms: 20, steps: 1 }, { progressToken: 'p' }), h);
      expect(sse.headers['content-type']).toBe('text/event-stream');
      expect(exposed(sse)).toEqual(expect.arrayContaining(['mcp-session-id', 'mcp-protocol-version']));
      const get = stream(port, { headers: { ...h, accept: 'text/event-stream' } });
      onCleanup(() => get.destroy());
      const r = await get.response();
      expect(r.status).toBe(200);
      expect(exposed(r)).toContain('mcp-session-id');
    },
    T,
  );

  it(
    'refuses a preflight from a foreign origin',
    async () => {
      const { port } = await isolated({ allowedOrigins: ['https://app.example'] });
      const x = await http1(port, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://evil.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, mcp-session-id',
        },
      });
      expect(x.status).toBe(403);
      expect(x.headers['access-control-allow-origin']).toBeUndefined();
      expect(x.headers['access-control-allow-headers']).toBeUndefined();
    },
    T,
  );
});

describe('bearer token', () => {
  it(
    '401 + WWW-Authenticate: Bearer without or with a wrong token, 200 with it; preflight exempt',
    async () => {
      const { port } = await isolated({ token: 's3cret-token' });
      const good = { authorization: 'Bearer s3cret-token' };
      for (const auth of [
        undefined,
        'Bearer wrong',
        'Bearer s3cret-token-',
        'Basic s3cret-token',
        's3cret-token',
      ]) {
        const x = await postRpc(port, initializeMessage('2025-06-18'), auth ? { authorization: auth } : {});
        expect(x.status, String(auth)).toBe(401);
        expect(String(x.headers['www-authenticate'])).toMatch(/^Bearer\b/);
        expect(x.headers['mcp-session-id']).toBeUndefined();
        expectIdlessError(x);
      }
      const init = await postRpc(port, initializeMessage('2025-06-18'), {
        ...good,
        accept: 'application/json',
      });
      expect(init.status).toBe(200);
      const session = init.headers['mcp-session-id'] as string;
      expect(session).toBeTruthy();
      // A session id is never a substitute for the token.
      const noToken = await postRpc(port, listTools(2), { 'mcp-session-id': session });
      expect(noToken.status).toBe(401);
      expect(String(noToken.headers['www-authenticate'])).toMatch(/^Bearer\b/);
      const withToken = await postRpc(port, listTools(3), {
        ...good,
        'mcp-session-id': session,
        accept: 'application/json',
      });
      expect(withToken.status).toBe(200);
      expect(json<{ id: number }>(withToken).id).toBe(3);
      // A CORS preflight carries no credentials: it must not be refused for lacking them.
      const pre = await http1(port, {
        method: 'OPTIONS',
        headers: {
          origin: `http://localhost:${port}`,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect([200, 204]).toContain(pre.status);
      expect(pre.headers['access-control-allow-origin']).toBe(`http://localhost:${port}`);
    },
    T,
  );

  it(
    'the capability URL: ?key= on /mcp, /sse and /messages; the endpoint event carries it; nothing spawns without it',
    async () => {
      const key = 'k3y-With+Plus/Slash=';
      const { port } = await isolated({ token: key });
      const q = `key=${encodeURIComponent(key)}`;
      const before = descendants().length;
      // Wrong, empty, or under another name: 401 first, no session and no process.
      for (const path of [
        '/mcp?key=wrong',
        '/mcp?key=',
        `/mcp?token=${encodeURIComponent(key)}`,
        `/mcp?access_token=${encodeURIComponent(key)}`,
        `/mcp?key=${encodeURIComponent(key)}x`,
        `/messages?sessionId=x&key=wrong`,
      ]) {
        const x = await postRpc(port, initializeMessage('2025-06-18'), {}, path);
        expect(x.status, path).toBe(401);
        expect(String(x.headers['www-authenticate'])).toMatch(/^Bearer\b/);
        expect(x.headers['mcp-session-id']).toBeUndefined();
      }
      const refused = await http1(port, { path: '/sse?key=wrong', headers: { accept: 'text/event-stream' } });
      expect(refused.status).toBe(401);
      expect(descendants().length).toBe(before);

      const init = await postRpc(
        port,
        initializeMessage('2025-06-18'),
        { accept: 'application/json' },
        `/mcp?${q}`,
      );
      expect(init.status).toBe(200);
      const session = init.headers['mcp-session-id'] as string;
      // The key is not remembered with the session: each request carries it.
      const bare = await postRpc(port, listTools(2), { 'mcp-session-id': session });
      expect(bare.status).toBe(401);

      // Legacy: the endpoint event names a URL with the key, so a client POSTs there as told.
      const sse = stream(port, { path: `/sse?${q}`, headers: { accept: 'text/event-stream' } });
      onCleanup(() => sse.destroy());
      const body = await sse.waitFor((b) => b.includes('event: endpoint'), 5000);
      const endpoint = new URL(/event: endpoint\ndata: (.*)\n/.exec(body)![1]!);
      expect(endpoint.searchParams.get('key')).toBe(key);
      const sessionId = endpoint.searchParams.get('sessionId')!;
      const post = await postRpc(
        port,
        initializeMessage('2024-11-05', 7),
        {},
        endpoint.pathname + endpoint.search,
      );
      expect(post.status).toBe(202);
      await sse.waitFor((b) => /"id":7/.test(b), 5000, 'the initialize answer on the stream');
      // The session id alone is not enough.
      const noKey = await postRpc(port, ping(8), {}, `/messages?sessionId=${encodeURIComponent(sessionId)}`);
      expect(noKey.status).toBe(401);
    },
    T,
  );

  it(
    'startEndpoint refuses to bind beyond loopback without a token',
    async () => {
      const runtime = new ServerRuntime(fixtureConfig('isolated'));
      await runtime.start();
      onCleanup(() => runtime.stop());
      for (const host of ['0.0.0.0', '::']) {
        await expect(startEndpoint(runtime, { host }), host).rejects.toThrow(/token/i);
      }
      // Loopback needs none.
      const ep = await startEndpoint(runtime, { host: '127.0.0.1' });
      onCleanup(() => ep.close());
      expect(ep.url).toBe(`http://127.0.0.1:${ep.port}/mcp`);
    },
    T,
  );
});

describe('sessions', () => {
  it(
    'bogus session → 404 on POST, GET and DELETE; missing header on a non-initialize → 400',
    async () => {
      const { port } = await isolated();
      await openSession(port); // a real one exists; the bogus id is still unknown
      const bogus = { 'mcp-session-id': 'no-such-session' };
      expect((await postRpc(port, listTools(1), bogus)).status).toBe(404);
      expect((await http1(port, { headers: { ...bogus, accept: 'text/event-stream' } })).status).toBe(404);
      expect((await http1(port, { method: 'DELETE', headers: bogus })).status).toBe(404);
      const missing = await postRpc(port, listTools(1));
      expect(missing.status).toBe(400);
      expectIdlessError(missing);
      expect((await http1(port, { headers: { accept: 'text/event-stream' } })).status).toBe(400);
      expect((await http1(port, { method: 'DELETE' })).status).toBe(400);
    },
    T,
  );

  it(
    'issues random visible-ASCII session ids and echoes them',
    async () => {
      const { port } = await isolated();
      const a = await openSession(port);
      const b = await openSession(port);
      for (const id of [a, b]) expect(id).toMatch(/^[\x21-\x7e]{16,}$/);
      expect(a).not.toBe(b);
      const x = await postRpc(port, listTools(5), { 'mcp-session-id': a, accept: 'application/json' });
      expect(x.status).toBe(200);
      expect(x.headers['mcp-session-id']).toBe(a);
    },
    T,
  );

  it(
    'echoes the session id on every response of the session: JSON, SSE, 202, GET and DELETE',
    async () => {
      const { port } = await isolated();
      const session = await openSession(port);
      const h = { 'mcp-session-id': session };
      const asJson = await postRpc(port, listTools(2), { ...h, accept: 'application/json' });
      expect(asJson.headers['mcp-session-id'], 'JSON').toBe(session);
      // SSE because progress comes first (a call that streams nothing is answered as JSON).
      const asSse = await postRpc(port, toolCall(3, 'slow', { ms: 20, steps: 1 }, { progressToken: 'p' }), h);
      expect(asSse.headers['content-type']).toBe('text/event-stream');
      expect(asSse.headers['mcp-session-id'], 'SSE').toBe(session);
      const accepted = await postRpc(port, { jsonrpc: '2.0', method: 'notifications/x' }, h);
      expect(accepted.headers['mcp-session-id'], '202').toBe(session);
      const get = stream(port, { headers: { ...h, accept: 'text/event-stream' } });
      onCleanup(() => get.destroy());
      expect((await get.response()).headers['mcp-session-id'], 'GET').toBe(session);
      const del = await http1(port, { method: 'DELETE', headers: h });
      expect([200, 204]).toContain(del.status);
      expect(del.headers['mcp-session-id'], 'DELETE').toBe(session);
    },
    T,
  );

  it(
    'DELETE → 200 (or 204), then the session is 404 everywhere and its slot is free',
    async () => {
      const { port, endpoint } = await isolated({ maxSessions: 1 });
      const session = await openSession(port);
      expect(endpoint.sessionCount()).toBe(1);
      const del = await http1(port, { method: 'DELETE', headers: { 'mcp-session-id': session } });
      expect([200, 204]).toContain(del.status);
      expect(endpoint.sessionCount()).toBe(0);
      const h = { 'mcp-session-id': session };
      expect((await postRpc(port, listTools(2), h)).status).toBe(404);
      expect((await http1(port, { headers: { ...h, accept: 'text/event-stream' } })).status).toBe(404);
      expect((await http1(port, { method: 'DELETE', headers: h })).status).toBe(404);
      await openSession(port); // capacity 1: the ended session released it
    },
    T,
  );

  it(
    'DELETE ends an open GET stream of that session',
    async () => {
      const { port } = await isolated();
      const session = await openSession(port);
      const get = stream(port, { headers: { 'mcp-session-id': session, accept: 'text/event-stream' } });
      onCleanup(() => get.destroy());
      expect((await get.response()).status).toBe(200);
      const del = await http1(port, { method: 'DELETE', headers: { 'mcp-session-id': session } });
      expect([200, 204]).toContain(del.status);
      await get.ended(3000);
    },
    T,
  );
});

describe('capacity', () => {
  it(
    'maxSessions: 2, both busy → the third initialize gets 503 + Retry-After; a freed slot is usable again',
    async () => {
      const { port } = await isolated({ maxSessions: 2 });
      const a = await openSession(port);
      const b = await openSession(port);
      // Issue 14: an idle session is evicted at the cap, so both hold a GET stream open (busy).
      for (const id of [a, b]) {
        const get = stream(port, {
          method: 'GET',
          headers: { accept: 'text/event-stream', 'mcp-session-id': id },
        });
        onCleanup(() => get.destroy());
        expect((await get.response()).status).toBe(200);
      }
      const third = await postRpc(port, initializeMessage('2025-06-18'));
      expect(third.status).toBe(503);
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect(third.headers['mcp-session-id']).toBeUndefined();
      expectIdlessError(third);
      await http1(port, { method: 'DELETE', headers: { 'mcp-session-id': a } });
      await openSession(port);
    },
    T,
  );

  it(
    'maxSessions holds under concurrent initializes (no check-then-await race)',
    async () => {
      const { port, endpoint } = await isolated({ maxSessions: 2 });
      const results = await Promise.all(
        [1, 2, 3, 4].map((i) =>
          postRpc(port, initializeMessage('2025-06-18', i), { accept: 'application/json' }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      // Issue 14: a session whose initialize was already answered is idle and may be evicted
      // for a later one, so more than two may succeed; the count never exceeds the cap.
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
      expect(endpoint.sessionCount()).toBe(2);
    },
    T,
  );

  it(
    'isolated maxProcesses full of busy sessions → 503 + Retry-After; a closed session frees its process',
    async () => {
      const { port } = await isolated({}, { maxProcesses: 1 });
      const a = await openSession(port);
      // Issue 14: an idle session's process is reclaimed at the cap, so a holds a GET stream (busy).
      const get = stream(port, {
        method: 'GET',
        headers: { accept: 'text/event-stream', 'mcp-session-id': a },
      });
      onCleanup(() => get.destroy());
      expect((await get.response()).status).toBe(200);
      const second = await postRpc(port, initializeMessage('2025-06-18'));
      expect(second.status).toBe(503);
      expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
      expect(second.headers['mcp-session-id']).toBeUndefined();
      expectIdlessError(second);
      await http1(port, { method: 'DELETE', headers: { 'mcp-session-id': a } });
      await openSession(port);
    },
    T,
  );
});

describe('bodies and JSON-RPC shape', () => {
  it(
    'a body over maxBodyBytes → 413, with or without Content-Length',
    async () => {
      const { port } = await isolated({ maxBodyBytes: 1024 });
      const session = await openSession(port);
      const big = JSON.stringify(toolCall(7, 'echo', { text: 'x'.repeat(4096) }));
      const declared = await postRpc(port, big, { 'mcp-session-id': session });
      expect(declared.status).toBe(413);
      expectIdlessError(declared);
      const chunked = await http1(port, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: BOTH, 'mcp-session-id': session },
        chunks: [big.slice(0, 900), big.slice(900, 1800), big.slice(1800)],
      });
      expect(chunked.status).toBe(413);
      // An initialize over the limit is also refused without opening a session.
      const init = await postRpc(port, {
        ...initializeMessage('2025-06-18'),
        params: { ...initializeMessage('2025-06-18').params, pad: 'p'.repeat(2000) },
      });
      expect(init.status).toBe(413);
      expect(init.headers['mcp-session-id']).toBeUndefined();
      // Under the limit still works on the same server.
      const ok = await postRpc(port, toolCall(8, 'echo', { text: 'small' }), {
        'mcp-session-id': session,
        accept: 'application/json',
      });
      expect(ok.status).toBe(200);
    },
    T,
  );

  it(
    'malformed JSON → 400 / -32700; not JSON-RPC → 400 / -32600',
    async () => {
      const { port } = await isolated();
      const session = await openSession(port);
      const h = { 'mcp-session-id': session };
      for (const body of ['{"jsonrpc":"2.0","id":1,"method":', 'not json', '']) {
        const x = await postRpc(port, body, h);
        expect(x.status, JSON.stringify(body)).toBe(400);
        expectIdlessError(x, -32700);
      }
      for (const body of [
        '{"hello":"world"}',
        '"a string"',
        '42',
        'null',
        '[]',
        '{"jsonrpc":"1.0","id":1,"method":"ping"}',
        '{"jsonrpc":"2.0","id":1}',
        '{"jsonrpc":"2.0","id":1,"method":7}',
      ]) {
        const x = await postRpc(port, body, h);
        expect(x.status, body).toBe(400);
        expectIdlessError(x, -32600);
      }
      // Without a session the shape errors are the same (parsing comes first).
      const parse = await postRpc(port, '{', {});
      expect(parse.status).toBe(400);
      expectIdlessError(parse, -32700);
    },
    T,
  );

  it(
    'a batch on a 2025-06-18 session → 400 / -32600; on a 2025-03-26 session → an array answer',
    async () => {
      const { port } = await isolated();
      const modern = await openSession(port, '2025-06-18');
      const refused = await postRpc(port, [ping(1), listTools(2)], { 'mcp-session-id': modern });
      expect(refused.status).toBe(400);
      expectIdlessError(refused, -32600);

      const old = await openSession(port, '2025-03-26');
      const ok = await postRpc(port, [ping('a'), listTools('b')], {
        'mcp-session-id': old,
        'mcp-protocol-version': '2025-03-26',
      });
      expect(ok.status).toBe(200);
      expect(ok.headers['content-type']).toMatch(/^application\/json/);
      const answers = json<{ id: string; result?: unknown }[]>(ok);
      expect(Array.isArray(answers)).toBe(true);
      expect(answers.map((a) => a.id).sort()).toEqual(['a', 'b']);
      expect(answers.every((a) => a.result !== undefined)).toBe(true);
      // A batch of notifications only is a 202 too.
      const notes = await postRpc(
        port,
        [
          { jsonrpc: '2.0', method: 'notifications/x' },
          { jsonrpc: '2.0', method: 'notifications/y' },
        ],
        { 'mcp-session-id': old },
      );
      expect(notes.status).toBe(202);
      expect(notes.body).toBe('');
    },
    T,
  );

  it(
    'a notification-only or response-only POST → exactly 202 with an empty body',
    async () => {
      const { port } = await isolated();
      const session = await openSession(port);
      const h = { 'mcp-session-id': session };
      for (const msg of [
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', method: 'notifications/roots/list_changed' },
        { jsonrpc: '2.0', id: 99, result: {} },
      ]) {
        const x = await postRpc(port, msg, h);
        expect(x.status, JSON.stringify(msg)).toBe(202);
        expect(x.body).toBe('');
        expect(x.headers['content-type']).toBeUndefined();
      }
    },
    T,
  );
});

describe('headers', () => {
  it(
    'MCP-Protocol-Version: any value on initialize; an unsupported one after it → 400',
    async () => {
      const { port } = await isolated();
      for (const v of ['1999-01-01', 'garbage', '2026-07-28']) {
        const init = await postRpc(port, initializeMessage('2025-06-18'), {
          'mcp-protocol-version': v,
          accept: 'application/json',
        });
        expect(init.status, v).toBe(200);
      }
      const session = await openSession(port);
      const bad = await postRpc(port, listTools(2), {
        'mcp-session-id': session,
        'mcp-protocol-version': '1999-01-01',
      });
      expect(bad.status).toBe(400);
      expectIdlessError(bad);
      const good = await postRpc(port, listTools(3), {
        'mcp-session-id': session,
        'mcp-protocol-version': '2025-06-18',
        accept: 'application/json',
      });
      expect(good.status).toBe(200);
      const absent = await postRpc(port, listTools(4), {
        'mcp-session-id': session,
        accept: 'application/json',
      });
      expect(absent.status).toBe(200);
    },
    T,
  );

  it(
    'lenient Accept: */*, no Accept and only application/json get JSON; text/plain only → 406',
    async () => {
      const { port } = await isolated();
      const wildcard = await postRpc(port, initializeMessage('2025-06-18'), { accept: '*/*' });
      expect(wildcard.status).toBe(200);
      expect(wildcard.headers['content-type']).toMatch(/^application\/json/);
      const session = wildcard.headers['mcp-session-id'] as string;
      const h = { 'mcp-session-id': session };
      const list = await postRpc(port, listTools(2), { ...h, accept: '*/*' });
      expect(list.status).toBe(200);
      expect(list.headers['content-type']).toMatch(/^application\/json/);
      expect(json<{ id: number }>(list).id).toBe(2);
      // Only JSON acceptable: even a tools/call (which may stream) answers with one JSON body.
      const onlyJson = await postRpc(
        port,
        toolCall(3, 'slow', { ms: 60, steps: 2 }, { progressToken: 'p' }),
        {
          ...h,
          accept: 'application/json',
        },
      );
      expect(onlyJson.status).toBe(200);
      expect(onlyJson.headers['content-type']).toMatch(/^application\/json/);
      expect(json<{ id: number; result: unknown }>(onlyJson)).toMatchObject({ id: 3, result: {} });
      const noAccept = await http1(port, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...h },
        body: JSON.stringify(listTools(4)),
      });
      expect(noAccept.status).toBe(200);
      for (const accept of ['text/plain', 'text/html, image/png']) {
        const x = await postRpc(port, listTools(5), { ...h, accept });
        expect(x.status, accept).toBe(406);
        expectIdlessError(x);
      }
    },
    T,
  );

  it(
    'unsupported Content-Type → 415',
    async () => {
      const { port } = await isolated();
      const session = await openSession(port);
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ]) {
        const x = await postRpc(port, listTools(1), { 'mcp-session-id': session, 'content-type': type });
        expect(x.status, type).toBe(415);
        expectIdlessError(x);
      }
      const noType = await http1(port, {
        method: 'POST',
        headers: { accept: BOTH, 'mcp-session-id': session },
        body: JSON.stringify(listTools(1)),
      });
      expect(noType.status).toBe(415);
      const charset = await postRpc(port, listTools(2), {
        'mcp-session-id': session,
        'content-type': 'application/json; charset=utf-8',
        accept: 'application/json',
      });
      expect(charset.status).toBe(200);
    },
    T,
  );

  it(
    'PUT/PATCH on /mcp → 405 with Allow; an unknown path → 404',
    async () => {
      const { port } = await isolated();
      const session = await openSession(port);
      for (const method of ['PUT', 'PATCH']) {
        const x = await http1(port, {
          method,
          headers: { 'content-type': 'application/json', 'mcp-session-id': session },
          body: JSON.stringify(listTools(1)),
        });
        expect(x.status, method).toBe(405);
        const allow = String(x.headers['allow']).toUpperCase();
        for (const m of ['GET', 'POST', 'DELETE']) expect(allow).toContain(m);
        expectIdlessError(x);
      }
      for (const path of ['/', '/mcpx', '/api/mcp', '/mcp/extra']) {
        const x = await postRpc(port, initializeMessage('2025-06-18'), {}, path);
        expect(x.status, path).toBe(404);
        expectIdlessError(x);
      }
    },
    T,
  );

  it(
    'a valid initialize never gets 400/404/405, however it is dressed',
    async () => {
      const { port } = await isolated({ maxSessions: 20 });
      const variants: { what: string; headers: Record<string, string>; path?: string; version?: string }[] = [
        { what: 'plain', headers: {} },
        { what: 'stale session header', headers: { 'mcp-session-id': 'long-gone-session' } },
        { what: 'odd protocol header', headers: { 'mcp-protocol-version': 'nonsense' } },
        { what: 'wildcard accept', headers: { accept: '*/*' } },
        { what: 'json only', headers: { accept: 'application/json' } },
        { what: 'sse only', headers: { accept: 'text/event-stream' } },
        { what: 'trailing slash', headers: {}, path: '/mcp/' },
        { what: 'query string', headers: {}, path: '/mcp?x=1' },
        { what: 'unknown revision', headers: {}, version: '2099-01-01' },
        { what: '2024-11-05 revision', headers: {}, version: '2024-11-05' },
        { what: '2025-03-26 revision', headers: {}, version: '2025-03-26' },
        { what: '2025-11-25 revision', headers: {}, version: '2025-11-25' },
      ];
      for (const v of variants) {
        const x = await postRpc(
          port,
          initializeMessage(v.version ?? '2025-06-18', 'init'),
          v.headers,
          v.path,
        );
        expect([400, 404, 405], v.what).not.toContain(x.status);
        expect(x.status, v.what).toBe(200);
        expect(x.headers['mcp-session-id'], v.what).toBeTruthy();
        const answer =
          x.headers['content-type'] === 'text/event-stream'
            ? sseMessages(x.body).find((m) => m.msg['id'] === 'init')?.msg
            : json(x);
        expect(answer, v.what).toMatchObject({
          id: 'init',
          result: { serverInfo: { name: 'patchbay-fixture' } },
        });
      }
    },
    T,
  );
});

describe('legacy POST /messages', () => {
  it(
    'applies the same request rules: unknown session → 404, oversize → 413, bad JSON → 400, wrong Content-Type → 415',
    async () => {
      const { port } = await isolated({ maxBodyBytes: 1024 });
      const sse = stream(port, { path: '/sse', headers: { accept: 'text/event-stream' } });
      onCleanup(() => sse.destroy());
      const first = await sse.waitFor((t) => t.includes('\n\n'), 3000, 'the endpoint event');
      const url = new URL(/data: (\S+)/.exec(first)![1]!);
      const path = `${url.pathname}${url.search}`;
      const post = (body: string, headers: Record<string, string> = {}, at = path) =>
        http1(port, {
          method: 'POST',
          path: at,
          headers: { 'content-type': 'application/json', ...headers },
          body,
        });

      const unknown = await post(JSON.stringify(ping(1)), {}, '/messages?sessionId=nope');
      expect(unknown.status).toBe(404);
      expectIdlessError(unknown);
      const big = await post(JSON.stringify(toolCall(2, 'echo', { text: 'x'.repeat(4096) })));
      expect(big.status).toBe(413);
      const bad = await post('{"jsonrpc":');
      expect(bad.status).toBe(400);
      expectIdlessError(bad, -32700);
      const ok = await post(JSON.stringify(initializeMessage('2024-11-05')));
      expect(ok.status).toBe(202);
      expect(ok.body).toBe('');
      const wrongType = await post(JSON.stringify(ping(3)), { 'content-type': 'text/plain' });
      expect(wrongType.status).toBe(415);
      expectIdlessError(wrongType);
    },
    T,
  );
});

describe('GET stream', () => {
  it.each(['isolated', 'shared'] as const)(
    'queues messages for a session with no GET stream and delivers them when it opens (%s)',
    async (mode) => {
      const { port } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000 });
      const session = await openSession(port);
      const h = { 'mcp-session-id': session };
      // A JSON-mode call: the list_changed it triggers cannot go in the JSON body.
      const call = await postRpc(port, toolCall(2, 'notify_list_changed', { kind: 'tools' }), {
        ...h,
        accept: 'application/json',
      });
      expect(call.status).toBe(200);
      expect(json(call)).toMatchObject({ id: 2, result: { content: [{ text: 'sent' }] } });
      expect(call.body).not.toContain('list_changed');
      const call2 = await postRpc(port, toolCall(3, 'notify_list_changed', { kind: 'prompts' }), {
        ...h,
        accept: 'application/json',
      });
      expect(call2.status).toBe(200);

      const get = stream(port, { headers: { ...h, accept: 'text/event-stream' } });
      onCleanup(() => get.destroy());
      expect((await get.response()).status).toBe(200);
      const body = await get.waitFor((b) => sseMessages(b).length >= 2, 3000, 'the two queued notifications');
      const methods = sseMessages(body).map((m) => m.msg['method']);
      expect(methods).toEqual(['notifications/tools/list_changed', 'notifications/prompts/list_changed']);
      // Delivered once: a later GET does not get them again.
      const again = stream(port, { headers: { ...h, accept: 'text/event-stream' } });
      onCleanup(() => again.destroy());
      await again.response();
      await get.ended(3000); // replaced
      await new Promise((r) => setTimeout(r, 200));
      expect(sseMessages(again.text())).toEqual([]);
    },
    T,
  );

  it(
    'a second GET replaces the first: the first ends, new messages go to the second only',
    async () => {
      const { port } = await isolated({ keepAliveMs: 60_000 });
      const session = await openSession(port);
      const h = { 'mcp-session-id': session, accept: 'text/event-stream' };
      const first = stream(port, { headers: h });
      onCleanup(() => first.destroy());
      expect((await first.response()).status).toBe(200);
      const second = stream(port, { headers: h });
      onCleanup(() => second.destroy());
      expect((await second.response()).status).toBe(200);
      expect(await first.ended(3000)).toBe('end');
      const call = await postRpc(port, toolCall(2, 'notify_list_changed', { kind: 'resources' }), {
        'mcp-session-id': session,
        accept: 'application/json',
      });
      expect(call.status).toBe(200);
      const body = await second.waitFor(
        (b) => sseMessages(b).length >= 1,
        3000,
        'list_changed on the 2nd GET',
      );
      expect(sseMessages(body).map((m) => m.msg['method'])).toEqual(['notifications/resources/list_changed']);
      expect(sseMessages(first.text())).toEqual([]);
      expect(second.isEnded).toBe(false);
    },
    T,
  );

  it(
    'a GET without SSE in Accept is refused (406), and a response is never put on the GET stream',
    async () => {
      const { port } = await isolated({ keepAliveMs: 60_000 });
      const session = await openSession(port);
      const refused = await http1(port, {
        headers: { 'mcp-session-id': session, accept: 'application/json' },
      });
      expect([405, 406]).toContain(refused.status);
      const get = stream(port, { headers: { 'mcp-session-id': session, accept: 'text/event-stream' } });
      onCleanup(() => get.destroy());
      await get.response();
      const sse = await postRpc(port, toolCall(2, 'log', { message: 'hello' }), {
        'mcp-session-id': session,
      });
      expect(hasResponse(sse.body, 2)).toBe(true);
      const jsonCall = await postRpc(port, toolCall(3, 'echo', { text: 'j' }), {
        'mcp-session-id': session,
        accept: 'application/json',
      });
      expect(json(jsonCall)).toMatchObject({ id: 3 });
      await new Promise((r) => setTimeout(r, 200));
      const onGet = parseSse(get.text()).blocks.filter((b) => b.event === 'message');
      expect(onGet.every((b) => !/"result"|"error"/.test(b.data ?? ''))).toBe(true);
    },
    T,
  );
});
