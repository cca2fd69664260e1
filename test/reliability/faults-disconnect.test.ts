import { afterEach, describe, expect, it } from 'vitest';
import { STATELESS_FIXTURE, fixtureConfig } from '../support/engine-client';
import {
  BOTH,
  type RawStream,
  cleanupAll,
  json,
  openSession,
  postRpc,
  serve,
  sleep,
  stream,
  toolCall,
} from '../support/http-wire';
import { until } from '../support/processes';
import { fdCount } from '../support/proc-stats';

// Issue 10, Faults: clients that go away mid-stream. Nothing leaks, nothing crashes, and the
// server-side request is handled per revision: 2026-07-28 cancels it (closing a request's
// stream is its cancellation), earlier revisions leave it to finish (the client may resume
// the stream with Last-Event-ID; that replay is tested in test/integration/http-sse-bytes.test.ts
// "resuming a POST stream still in flight"). The engine half of the 2026 case is in
// engine-stateless.test.ts "sends notifications/cancelled with the proxy id when the client stream closes".

afterEach(cleanupAll);

const ROUNDS = 30;

/** Opens `message` as an SSE POST and cuts the connection once the first progress arrived. */
async function cutAfterFirstProgress(
  port: number,
  headers: Record<string, string>,
  message: unknown,
): Promise<void> {
  const s: RawStream = stream(port, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: BOTH, ...headers },
    body: JSON.stringify(message),
  });
  expect((await s.response()).status).toBe(200);
  await s.waitFor((b) => b.includes('notifications/progress'), 5000, 'the first progress');
  s.destroy();
}

/** Sockets settle a moment after both ends closed. */
async function fdsBackTo(baseline: number, slack = 2): Promise<number> {
  let now = fdCount();
  for (let i = 0; i < 100 && now > baseline + slack; i++) {
    await sleep(20);
    now = fdCount();
  }
  return now;
}

describe('a client that disconnects mid-stream', () => {
  for (const mode of ['isolated', 'shared'] as const) {
    it(`2025-06-18, ${mode}: the server-side call is left to finish, nothing is cancelled, nothing leaks`, async () => {
      const { port, runtime, endpoint } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000 });
      const session = await openSession(port, '2025-06-18');
      const headers = { 'mcp-session-id': session };
      const baseline = fdCount();
      for (let i = 0; i < ROUNDS; i++) {
        await cutAfterFirstProgress(
          port,
          headers,
          toolCall(`cut-${i}`, 'slow', { ms: 300, steps: 3 }, { progressToken: `p${i}` }),
        );
      }
      // Every call ran to its end on the server (its response was recorded by the tap)…
      await until(() => runtime.getSession(session)?.pendingCount === 0, 5000, 'the calls to finish');
      const answered = runtime.frames
        .since()
        .filter((f) => f.leg === 'server→proxy' && f.kind === 'response' && String(f.rpcId).length > 0);
      expect(answered.length).toBeGreaterThanOrEqual(mode === 'isolated' ? ROUNDS : 1);
      // …and none was cancelled.
      const seen = await postRpc(port, toolCall('q', 'cancelled'), {
        ...headers,
        accept: 'application/json',
      });
      expect(json<{ result: { content: { text: string }[] } }>(seen).result.content[0]!.text).toBe('[]');
      // The session and the endpoint live on; the sockets are gone.
      expect(endpoint.sessionCount()).toBe(1);
      const after = await postRpc(port, toolCall('e', 'echo', { text: 'ok' }), {
        ...headers,
        accept: 'application/json',
      });
      expect(json(after)).toMatchObject({ result: { content: [{ text: 'ok' }] } });
      const fds = await fdsBackTo(baseline);
      console.log(`[disconnect 2025 ${mode}] ${ROUNDS} streams cut; fds ${baseline} → ${fds}`);
      expect(fds).toBeLessThanOrEqual(baseline + 2);
    });
  }

  it('2026-07-28 (stateless): closing the stream cancels the call on the server; nothing leaks', async () => {
    const { port, runtime } = await serve(
      { command: process.execPath, args: [STATELESS_FIXTURE], mode: 'isolated' },
      { keepAliveMs: 60_000 },
    );
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
      'io.modelcontextprotocol/clientInfo': { name: 'cutter', version: '1' },
    };
    const call = (id: string, name: string, args: Record<string, unknown>, extra = {}) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name, arguments: args, _meta: { ...meta, ...extra } },
    });
    // 2026-07-28 requires Mcp-Method and, on tools/call, Mcp-Name (the tool).
    const headers = (tool: string) => ({
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': tool,
    });
    await runtime.protocolSupport();
    const baseline = fdCount();
    for (let i = 0; i < ROUNDS; i++) {
      await cutAfterFirstProgress(
        port,
        headers('slow'),
        call(`cut-${i}`, 'slow', { ms: 3000, steps: 30 }, { progressToken: `p${i}` }),
      );
    }
    // The stateless process got one notifications/cancelled per cut stream (under proxy ids).
    let ids: unknown[] = [];
    for (const deadline = Date.now() + 5000; ids.length < ROUNDS && Date.now() < deadline; await sleep(50)) {
      const x = await postRpc(port, call('q', 'cancelled', {}), {
        ...headers('cancelled'),
        accept: 'application/json',
      });
      ids = json<{ result: { structuredContent: { ids: unknown[] } } }>(x).result.structuredContent.ids;
    }
    expect(ids).toHaveLength(ROUNDS);
    const after = await postRpc(port, call('e', 'echo', { text: 'ok' }), {
      ...headers('echo'),
      accept: 'application/json',
    });
    expect(json(after)).toMatchObject({ id: 'e', result: { content: [{ text: 'ok' }] } });
    const fds = await fdsBackTo(baseline);
    console.log(
      `[disconnect 2026] ${ROUNDS} streams cut, ${ids.length} cancellations; fds ${baseline} → ${fds}`,
    );
    expect(fds).toBeLessThanOrEqual(baseline + 2);
  });

  it('2024-11-05 (legacy SSE): dropping the /sse stream ends its session and frees its process', async () => {
    const { port, runtime, endpoint } = await serve(fixtureConfig('isolated'), { keepAliveMs: 60_000 });
    await until(() => runtime.state.status === 'running', 5000, 'the warm spare');
    const baseline = fdCount();
    for (let i = 0; i < 10; i++) {
      const sse = stream(port, { path: '/sse', headers: { accept: 'text/event-stream' } });
      const body = await sse.waitFor((b) => b.includes('event: endpoint'), 5000, 'the endpoint event');
      const url = new URL(/data: (\S+)/.exec(body)![1]!);
      const post = await postRpc(
        port,
        toolCall(`l${i}`, 'slow', { ms: 2000, steps: 20 }, { progressToken: `l${i}` }),
        {},
        `${url.pathname}${url.search}`,
      );
      expect(post.status).toBe(202);
      await sse.waitFor((b) => b.includes('notifications/progress'), 5000, 'progress on /sse');
      sse.destroy();
    }
    await until(
      () => endpoint.sessionCount() === 0 && runtime.listSessions().length === 0,
      5000,
      'sessions to end',
    );
    const fds = await fdsBackTo(baseline, 4);
    console.log(`[disconnect 2024] 10 /sse streams dropped mid-call; sessions 0; fds ${baseline} → ${fds}`);
    expect(fds).toBeLessThanOrEqual(baseline + 4);
  });
});
