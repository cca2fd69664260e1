import { afterEach, describe, expect, it } from 'vitest';
import { fixtureConfig } from '../support/engine-client';
import {
  type RawStream,
  cleanupAll,
  hasResponse,
  initializeMessage,
  json,
  onCleanup,
  openSession,
  postRpc,
  serve,
  sseMessages,
  sleep,
  stream,
  toolCall,
} from '../support/http-wire';
import { until } from '../support/processes';

// Issue 10, Faults: a server that crashes mid-request, and one that hangs, seen by HTTP
// clients. The engine-level halves are in test/integration/engine-isolated.test.ts ("fails
// all 10 pending requests within 1 s", "cancels: notifications/cancelled reaches the
// server") and engine-lifecycle.test.ts ("shared: a killed process fails all pending
// requests of every session"); these add the wire: SSE and JSON answers, the session going on.

afterEach(cleanupAll);

const VERSION = '2025-06-18';
const MODES = ['isolated', 'shared'] as const;

function sessionHeaders(session: string) {
  return { 'mcp-session-id': session, 'mcp-protocol-version': VERSION };
}

/** A tools/call POST answered on an SSE stream (kept chunk by chunk). */
function ssePost(port: number, session: string, message: unknown): RawStream {
  const s = stream(port, {
    method: 'POST',
    // SSE only: a client that also takes JSON gets no headers for a silent call until the
    // response or the first keep-alive (PROTOCOL.md "POST /mcp").
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...sessionHeaders(session) },
    body: JSON.stringify(message),
  });
  onCleanup(() => s.destroy());
  return s;
}

/** Initializes until the server takes a new session (a restarting shared server answers 503). */
async function reinitialize(port: number, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const init = await postRpc(port, initializeMessage(VERSION), { accept: 'application/json' });
    if (init.status === 200) {
      const id = init.headers['mcp-session-id'] as string;
      const note = await postRpc(
        port,
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        sessionHeaders(id),
      );
      expect(note.status).toBe(202);
      return id;
    }
    // While the server restarts: 503 with Retry-After, never 400/404 (the client would give up).
    expect(init.status).toBe(503);
    expect(init.headers['retry-after']).toBeDefined();
    if (Date.now() > deadline) throw new Error(`no new session within ${timeoutMs} ms`);
    await sleep(50);
  }
}

async function echo(port: number, session: string, id: string, text: string): Promise<string> {
  const x = await postRpc(port, toolCall(id, 'echo', { text }), {
    ...sessionHeaders(session),
    accept: 'application/json',
  });
  expect(x.status, x.body).toBe(200);
  const body = json<{ id: string; result: { content: { text: string }[] } }>(x);
  expect(body.id).toBe(id);
  return body.result.content[0]!.text;
}

describe('a server that crashes mid-request', () => {
  for (const mode of MODES) {
    it(`${mode}: every pending request gets a JSON-RPC error within 1 s; the session goes on; a new one works`, async () => {
      const { port, runtime } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000 });
      const session = await openSession(port, VERSION);
      const get = stream(port, { headers: { accept: 'text/event-stream', ...sessionHeaders(session) } });
      onCleanup(() => get.destroy());
      expect((await get.response()).status).toBe(200);

      // Three calls streaming progress on their POST streams, two waiting for a JSON answer.
      const streams = [1, 2, 3].map((i) =>
        ssePost(
          port,
          session,
          toolCall(`s${i}`, 'slow', { ms: 60_000, steps: 600 }, { progressToken: `t${i}` }),
        ),
      );
      const jsonCalls = [4, 5].map((i) =>
        postRpc(port, toolCall(`j${i}`, 'hang'), { ...sessionHeaders(session), accept: 'application/json' }),
      );
      for (const s of streams) await s.waitFor((b) => b.includes('notifications/progress'), 5000, 'progress');
      await until(() => runtime.getSession(session)?.pendingCount === 5, 5000, 'five requests in flight');

      const crashedAt = Date.now();
      const crash = postRpc(port, toolCall('boom', 'crash'), {
        ...sessionHeaders(session),
        accept: 'application/json',
      });
      const answers = await Promise.all([
        ...streams.map(async (s, i) => {
          await s.ended(1000);
          return sseMessages(s.text()).find((m) => m.msg['id'] === `s${i + 1}`)?.msg;
        }),
        ...jsonCalls.map(async (c) => json(await c)),
        crash.then((c) => json(c)),
      ]);
      const elapsed = Date.now() - crashedAt;
      expect(elapsed).toBeLessThan(1000);
      expect(answers.map((a) => a?.['id'])).toEqual(['s1', 's2', 's3', 'j4', 'j5', 'boom']);
      for (const a of answers) {
        expect(a).toMatchObject({
          jsonrpc: '2.0',
          error: { message: expect.stringMatching(/exited|crash/) as unknown },
        });
      }
      // The session outlives the process (issue 14: clients that never re-initialize keep
      // working): its GET stream stays open and its next call succeeds on the restarted server.
      expect(get.isEnded).toBe(false);
      expect(await echo(port, session, 'late', 'x')).toBe('x');

      const again = await reinitialize(port);
      expect(await echo(port, again, 'after', 'back')).toBe('back');
      console.log(`[crash ${mode}] 6 pending requests answered with errors ${elapsed} ms after the crash`);
    });
  }
});

describe('a server that hangs', () => {
  for (const mode of MODES) {
    it(`${mode}: the hung call is cancelled, notifications/cancelled reaches the server, other sessions carry on`, async () => {
      const { port, runtime } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000 });
      const a = await openSession(port, VERSION);
      const b = await openSession(port, VERSION);
      const hung = ssePost(port, a, toolCall('hang-1', 'hang'));
      expect((await hung.response()).status).toBe(200);
      await until(() => runtime.getSession(a)?.pendingCount === 1, 3000, 'the hung call in flight');

      // B is served while A's call hangs.
      for (let i = 0; i < 20; i++) expect(await echo(port, b, `b${i}`, `text ${i}`)).toBe(`text ${i}`);

      const cancel = await postRpc(
        port,
        {
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId: 'hang-1', reason: 'user' },
        },
        sessionHeaders(a),
      );
      expect(cancel.status).toBe(202);
      expect(runtime.getSession(a)?.pendingCount).toBe(0);
      // The stream of a cancelled call ends without a response (the spec: none is sent).
      expect(await hung.ended(2000)).toBe('end');
      expect(hasResponse(hung.text(), 'hang-1')).toBe(false);

      // The server saw the cancellation (isolated: the client's id; shared: the proxy's id).
      const seen = JSON.parse(await callText(port, a, 'cancelled')) as unknown[];
      expect(seen).toHaveLength(1);
      if (mode === 'isolated') expect(seen).toEqual(['hang-1']);
      else expect(typeof seen[0]).toBe('number');
      // B never saw any of it, and both sessions are alive.
      expect(JSON.parse(await callText(port, b, 'cancelled'))).toEqual(mode === 'isolated' ? [] : seen);
      expect(await echo(port, a, 'a-after', 'a ok')).toBe('a ok');
      expect(await echo(port, b, 'b-after', 'b ok')).toBe('b ok');
    });
  }
});

async function callText(port: number, session: string, tool: string): Promise<string> {
  const x = await postRpc(port, toolCall(`${tool}-q`, tool), {
    ...sessionHeaders(session),
    accept: 'application/json',
  });
  return json<{ result: { content: { text: string }[] } }>(x).result.content[0]!.text;
}
