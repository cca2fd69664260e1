import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { liveChildren } from '../../src/main/core/stdio/child-registry';
import { fixtureConfig } from '../support/engine-client';
import {
  type Exchange,
  cleanupAll,
  initializeMessage,
  json,
  onCleanup,
  openSession,
  postRpc,
  serve,
  stream,
  toolCall,
} from '../support/http-wire';
import { until, waitGone } from '../support/processes';

// Issue 14, "Sessions outlive processes" (PROTOCOL.md): the process cap bounds processes,
// not sessions; a session whose process was reclaimed or crashed is revived on its next
// request with its own initialize and recorded state; the sessions cap evicts idle sessions.

afterEach(cleanupAll);

const T = 30_000;
const VERSION = '2025-06-18';

type Rpc = { id?: unknown; result?: Record<string, unknown>; error?: { code: number; message: string } };

/** A JSON-RPC request on a session (JSON answer); returns the exchange. */
function rpc(port: number, session: string, body: unknown): Promise<Exchange> {
  return postRpc(port, body, {
    accept: 'application/json',
    'mcp-session-id': session,
    'mcp-protocol-version': VERSION,
  });
}

/** The fixture's view of its own state (`client_info`), through the session. */
async function serverState(port: number, session: string, id: number) {
  const x = await rpc(port, session, toolCall(id, 'client_info'));
  expect(x.status, x.body).toBe(200);
  const res = json<Rpc>(x);
  const text = (res.result?.['content'] as { text: string }[])[0]!.text;
  return JSON.parse(text) as {
    initializeCount: number;
    initializedCount: number;
    lastInitialize: unknown;
    logLevel: string | null;
    subscriptions: string[];
  };
}

/** A fetch for the SDK client that counts the initialize requests it sends. */
function countingFetch() {
  const counts = { initialize: 0 };
  const fetchLike = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (typeof init?.body === 'string' && init.body.includes('"method":"initialize"')) counts.initialize++;
    return fetch(input, init);
  };
  return { counts, fetch: fetchLike };
}

describe('sessions outlive processes (isolated)', () => {
  it(
    'kill -9 under an SDK client mid-call: the call fails at once, the next call on the same session works without a new initialize',
    async () => {
      const { url, runtime } = await serve(fixtureConfig('isolated'));
      const { counts, fetch: fetchLike } = countingFetch();
      const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: fetchLike });
      const client = new Client({ name: 'revival-test', version: '1.0.0' });
      await client.connect(transport);
      onCleanup(() => client.close());
      const sessionId = transport.sessionId;
      const first = (await client.callTool({ name: 'pid', arguments: {} })) as {
        content: { text: string }[];
      };
      const pid = Number(first.content[0]!.text);
      expect(runtime.getSession(sessionId!)?.pid).toBe(pid);

      const inFlight = client.callTool({ name: 'hang', arguments: {} }).then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      await until(() => runtime.getSession(sessionId!)?.pendingCount === 1, 5000, 'the call in flight');
      const killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
      const failure = await inFlight;
      const failedAfterMs = Date.now() - killedAt;
      console.log(`[revival] in-flight call failed ${failedAfterMs} ms after SIGKILL`);
      expect(failure).toBeInstanceOf(Error);
      expect(failure!.message).toContain('killed by SIGKILL');
      expect(failure!.message).not.toMatch(/timed? ?out/i);
      expect(failedAfterMs).toBeLessThan(10_000); // generous: it must not wait for a timeout

      const again = (await client.callTool({ name: 'echo', arguments: { text: 'still here' } })) as {
        content: { text: string }[];
      };
      expect(again.content[0]!.text).toBe('still here');
      expect(counts.initialize).toBe(1);
      expect(transport.sessionId).toBe(sessionId);
      const session = runtime.getSession(sessionId!)!;
      expect(session.revivals).toBe(1);
      expect(session.pid).not.toBe(pid);
      // The new process heard the client's own initialize (replayed by Patchbay).
      const after = (await client.callTool({ name: 'client_info', arguments: {} })) as {
        content: { text: string }[];
      };
      const info = JSON.parse(after.content[0]!.text) as {
        initializeCount: number;
        initializedCount: number;
      };
      expect(info).toMatchObject({ initializeCount: 1, initializedCount: 1 });
    },
    T,
  );

  it(
    'legacy HTTP+SSE (2024-11-05): kill -9 under an SDK client; its next call works on the same stream without a new initialize',
    async () => {
      const { url, runtime } = await serve(fixtureConfig('isolated'));
      const { counts, fetch: fetchLike } = countingFetch();
      const transport = new SSEClientTransport(new URL('/sse', url), { fetch: fetchLike });
      const client = new Client({ name: 'legacy-revival-test', version: '1.0.0' });
      await client.connect(transport);
      onCleanup(() => client.close());
      const first = (await client.callTool({ name: 'pid', arguments: {} })) as {
        content: { text: string }[];
      };
      const pid = Number(first.content[0]!.text);
      const [session] = runtime.listSessions();
      process.kill(pid, 'SIGKILL');
      await until(() => session!.pid === undefined, 5000, 'dormant');
      const again = (await client.callTool({ name: 'echo', arguments: { text: 'legacy' } })) as {
        content: { text: string }[];
      };
      expect(again.content[0]!.text).toBe('legacy');
      expect(counts.initialize).toBe(1);
      expect(runtime.listSessions()).toEqual([session]);
      expect(session!.revivals).toBe(1);
    },
    T,
  );

  it(
    'reclaim at the cap keeps the session usable: initialize, logging level and subscriptions replayed as Patchbay’s own',
    async () => {
      const { port, runtime } = await serve(fixtureConfig('isolated', { maxProcesses: 2 }));
      await runtime.protocolSupport(); // its throwaway probe process is gone then: only the cap counts
      const a = await openSession(port, VERSION);
      expect(
        json<Rpc>(
          await rpc(port, a, {
            jsonrpc: '2.0',
            id: 2,
            method: 'logging/setLevel',
            params: { level: 'warning' },
          }),
        ).error,
      ).toBeUndefined();
      for (const [id, method, uri] of [
        [3, 'resources/subscribe', 'fixture://a'],
        [4, 'resources/subscribe', 'fixture://b'],
        [5, 'resources/unsubscribe', 'fixture://b'],
      ] as const) {
        expect(
          json<Rpc>(await rpc(port, a, { jsonrpc: '2.0', id, method, params: { uri } })).error,
        ).toBeUndefined();
      }
      const before = await serverState(port, a, 6);
      const pidA = runtime.getSession(a)!.pid!;

      // b takes the spare (the second process); c needs one more: a's is the least recently used.
      const b = await openSession(port, VERSION);
      expect(json<Rpc>(await rpc(port, b, { jsonrpc: '2.0', id: 2, method: 'ping' })).error).toBeUndefined();
      const c = await openSession(port, VERSION);
      expect(await waitGone([pidA])).toEqual([]);
      expect(runtime.getSession(a)!.pid).toBeUndefined();
      expect(runtime.getSession(c)!.pid).toBeDefined();
      expect(liveChildren().length).toBeLessThanOrEqual(2);

      // a's next request revives it: same session id, its own state on a new process.
      const after = await serverState(port, a, 7);
      expect(after).toEqual({ ...before, initializeCount: 1, initializedCount: 1 });
      expect(after.logLevel).toBe('warning');
      expect(after.subscriptions).toEqual(['fixture://a']);
      expect(after.lastInitialize).toEqual(initializeMessage(VERSION).params);
      expect(runtime.getSession(a)!.revivals).toBe(1);
      // The level really applies on the new process: info is filtered, error is not.
      for (const [id, level] of [
        [8, 'info'],
        [9, 'error'],
      ] as const) {
        const logged = await postRpc(port, toolCall(id, 'log', { level, message: `at ${level}` }), {
          'mcp-session-id': a,
          'mcp-protocol-version': VERSION,
        });
        expect(logged.body.includes(`"at ${level}"`)).toBe(level === 'error');
      }

      // The inspector shows the reclaim, the revival and the replayed messages as Patchbay's.
      const frames = runtime.frames.since().filter((f) => f.sessionId === a);
      const own = frames.filter((f) => f.by === 'patchbay');
      expect(own.some((f) => f.kind === 'note' && /reclaimed/.test(f.raw))).toBe(true);
      expect(own.some((f) => f.kind === 'note' && /revived/.test(f.raw))).toBe(true);
      const replayed = own
        .filter((f) => f.leg === 'proxy→server' && f.method !== undefined)
        .map((f) => f.method);
      expect(replayed).toEqual([
        'initialize',
        'notifications/initialized',
        'logging/setLevel',
        'resources/subscribe',
      ]);
      // The client never saw the replay's answers: nothing of Patchbay's went to it.
      expect(frames.filter((f) => f.leg === 'proxy→client' && f.by === 'patchbay')).toEqual([]);
    },
    T,
  );

  it(
    'never reclaims a process whose session has a request in flight or a stream open: 503 + Retry-After then',
    async () => {
      const { port, runtime } = await serve(fixtureConfig('isolated', { maxProcesses: 2 }));
      const a = await openSession(port, VERSION);
      const b = await openSession(port, VERSION);
      const pids = [runtime.getSession(a)!.pid!, runtime.getSession(b)!.pid!];
      // a holds its GET stream open; b has a call in flight.
      const get = stream(port, {
        method: 'GET',
        headers: { accept: 'text/event-stream', 'mcp-session-id': a, 'mcp-protocol-version': VERSION },
      });
      onCleanup(() => get.destroy());
      expect((await get.response()).status).toBe(200);
      const call = postRpc(port, toolCall(2, 'slow', { ms: 3000, steps: 1 }), {
        'mcp-session-id': b,
        'mcp-protocol-version': VERSION,
      });
      await until(() => runtime.getSession(b)!.pendingCount === 1, 5000, 'b busy');
      const refused = await postRpc(port, initializeMessage(VERSION), { accept: 'application/json' });
      expect(refused.status).toBe(503);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body).toContain('All 2 processes');
      expect(pids.every((pid) => liveChildren().includes(pid))).toBe(true);
      // Once b's call is answered, b is idle: the next session takes its process.
      expect((await call).status).toBe(200);
      await openSession(port, VERSION);
      expect(await waitGone([pids[1]!])).toEqual([]);
      expect(runtime.getSession(a)!.pid).toBe(pids[0]);
    },
    T,
  );

  it(
    'a revival that fails answers that request with a clear error; the session stays and a later request revives it',
    async () => {
      const { port, runtime } = await serve(fixtureConfig('isolated', { maxProcesses: 1 }));
      const a = await openSession(port, VERSION);
      // b takes a's process; then b keeps a call in flight so a cannot get one back.
      const b = await openSession(port, VERSION);
      expect(runtime.getSession(a)!.pid).toBeUndefined();
      const call = postRpc(port, toolCall(2, 'slow', { ms: 3000, steps: 1 }), {
        'mcp-session-id': b,
        'mcp-protocol-version': VERSION,
      });
      await until(() => runtime.getSession(b)!.pendingCount === 1, 5000, 'b busy');
      const refused = json<Rpc>(await rpc(port, a, { jsonrpc: '2.0', id: 9, method: 'ping' }));
      expect(refused.id).toBe(9);
      expect(refused.error?.message).toMatch(
        /Could not restart the MCP server for this session: All 1 processes/,
      );
      expect(runtime.getSession(a)).toBeDefined();
      expect((await call).status).toBe(200);
      const ok = json<Rpc>(await rpc(port, a, { jsonrpc: '2.0', id: 10, method: 'ping' }));
      expect(ok).toMatchObject({ id: 10, result: {} });
      expect(runtime.getSession(a)!.revivals).toBe(1);
    },
    T,
  );
});

describe('the sessions cap', () => {
  it(
    'evicts the least-recently-active idle session (its next request gets 404); 503 + Retry-After only when none is idle',
    async () => {
      const { port, runtime } = await serve(fixtureConfig('isolated'), { maxSessions: 2 });
      const a = await openSession(port, VERSION);
      const b = await openSession(port, VERSION);
      expect(json<Rpc>(await rpc(port, a, { jsonrpc: '2.0', id: 2, method: 'ping' })).error).toBeUndefined();
      const c = await openSession(port, VERSION); // b was the least recently active
      expect((await rpc(port, b, { jsonrpc: '2.0', id: 3, method: 'ping' })).status).toBe(404);
      expect(runtime.getSession(b)).toBeUndefined();
      expect(
        runtime.frames
          .since()
          .some((f) => f.sessionId === b && f.by === 'patchbay' && /sessions cap/.test(f.raw)),
      ).toBe(true);
      expect((await rpc(port, a, { jsonrpc: '2.0', id: 3, method: 'ping' })).status).toBe(200);
      // Both remaining sessions busy (a GET stream, a call in flight): nothing to evict.
      const get = stream(port, {
        method: 'GET',
        headers: { accept: 'text/event-stream', 'mcp-session-id': a, 'mcp-protocol-version': VERSION },
      });
      onCleanup(() => get.destroy());
      expect((await get.response()).status).toBe(200);
      const call = postRpc(port, toolCall(2, 'slow', { ms: 3000, steps: 1 }), {
        'mcp-session-id': c,
        'mcp-protocol-version': VERSION,
      });
      await until(() => runtime.getSession(c)!.pendingCount === 1, 5000, 'c busy');
      const refused = await postRpc(port, initializeMessage(VERSION), { accept: 'application/json' });
      expect(refused.status).toBe(503);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await call).status).toBe(200);
      get.destroy();
      await until(() => runtime.getSession(a) !== undefined, 100, 'a kept');
      await openSession(port, VERSION);
      expect(runtime.listSessions()).toHaveLength(2);
    },
    T,
  );
});
