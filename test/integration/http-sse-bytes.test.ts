import { type Socket, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../src/main/core/inspect/frame';
import type { ServerRuntime } from '../../src/main/core/routing/server-runtime';
import { STATELESS_FIXTURE, fixtureConfig } from '../support/engine-client';
import {
  BOTH,
  type RawStream,
  type SseBlock,
  cleanupAll,
  curl,
  hasResponse,
  json,
  onCleanup,
  openSession,
  parseSse,
  postRpc,
  serve,
  sleep,
  splitCurl,
  sseMessages,
  stream,
  toolCall,
} from '../support/http-wire';
import { until } from '../support/processes';

// PROTOCOL.md "SSE": the exact bytes of every kind of stream the proxy serves, read both
// with raw node:http (chunk by chunk) and with the real curl binary.

afterEach(cleanupAll);

const T = 25_000;
const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

/** The headers every SSE response must carry, and no compression. */
function expectSseHeaders(headers: Record<string, string | string[] | undefined>): void {
  for (const [name, value] of Object.entries(SSE_HEADERS)) expect(headers[name], name).toBe(value);
  expect(String(headers['connection']).toLowerCase()).toBe('keep-alive');
  expect(headers['content-encoding']).toBeUndefined();
  expect(headers['content-length']).toBeUndefined();
}

/** A message frame exactly as PROTOCOL.md spells it. */
const FRAME_WITH_ID = /^id: [^\n]+\nevent: message\ndata: [^\n]+\n\n$/;
const FRAME_NO_ID = /^event: message\ndata: [^\n]+\n\n$/;
const KEEPALIVE = ': keepalive\n\n';

const PRIMING = /^id: [^\n]+\nevent: message\nretry: \d+\ndata: \n\n$/;

/**
 * Every block is a keep-alive comment or a strict message frame (ids when `resumable`);
 * a priming frame only where `priming` allows it (first, 2025-11-25 GET streams).
 * Returns the message frames, priming excluded.
 */
function expectFrames(body: string, resumable: boolean, priming = false): SseBlock[] {
  const { blocks, rest } = parseSse(body);
  expect(rest).toBe('');
  const frames: SseBlock[] = [];
  blocks.forEach((b, i) => {
    if (b.comment !== undefined) expect(b.raw).toBe(KEEPALIVE);
    else if (priming && i === 0 && b.retry !== undefined) expect(b.raw).toMatch(PRIMING);
    else {
      expect(b.raw).toMatch(resumable ? FRAME_WITH_ID : FRAME_NO_ID);
      frames.push(b);
    }
  });
  return frames;
}

const meta = (progressToken: string) => ({ progressToken });

/** Frames of the tap (to know the server answered while no client is reading). */
function serverAnswered(runtime: ServerRuntime, rpcId: string): boolean {
  return runtime.frames.since().some((f: Frame) => f.leg === 'server→proxy' && f.rpcId === rpcId);
}

describe('POST response streams', () => {
  it(
    'tools/call with a progressToken: progress frames first, flushed as they happen, then the response, then the end (node:http)',
    async () => {
      const { port } = await serve(fixtureConfig('isolated'), { keepAliveMs: 60_000 });
      const session = await openSession(port, '2025-06-18');
      const s = stream(port, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: BOTH, 'mcp-session-id': session },
        body: JSON.stringify(toolCall('call-1', 'slow', { ms: 600, steps: 3 }, meta('tok-1'))),
      });
      const r = await s.response();
      expect(r.status).toBe(200);
      expectSseHeaders(r.headers);
      expect(r.headers['mcp-session-id']).toBe(session);
      expect(r.headers['transfer-encoding']).toBe('chunked');
      expect(await s.ended(5000)).toBe('end');

      const frames = expectFrames(s.text(), true);
      const msgs = frames.map((f) => JSON.parse(f.data!) as Record<string, unknown>);
      expect(msgs.map((m) => m['method'] ?? `response:${String(m['id'])}`)).toEqual([
        'notifications/progress',
        'notifications/progress',
        'notifications/progress',
        'response:call-1',
      ]);
      expect(msgs.slice(0, 3).map((m) => (m['params'] as { progress: number }).progress)).toEqual([1, 2, 3]);
      expect(
        msgs.slice(0, 3).every((m) => (m['params'] as { progressToken: string }).progressToken === 'tok-1'),
      ).toBe(true);
      expect(msgs[3]).toMatchObject({ id: 'call-1', result: { content: [{ text: 'done' }] } });
      // Ids name one stream and grow.
      const ids = frames.map((f) => f.id!);
      const prefix = ids[0]!.slice(0, ids[0]!.lastIndexOf('.'));
      expect(ids.every((id) => id.startsWith(`${prefix}.`))).toBe(true);
      const seqs = ids.map((id) => Number(id.slice(prefix.length + 1)));
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
      // Streamed, not buffered: the first progress arrived well before the response.
      const firstAt = s.chunks.find((c) => c.data.toString().includes('notifications/progress'))!.at;
      const lastAt = s.chunks.find((c) => c.data.toString().includes('"id":"call-1"'))!.at;
      expect(lastAt - firstAt).toBeGreaterThanOrEqual(250);
      // No priming or retry on a 2025-06-18 stream.
      expect(s.text()).not.toMatch(/^retry:|^data: $/m);
    },
    T,
  );

  it(
    'the same stream through curl -sN -i: headers, frames, end',
    async () => {
      const { port, url } = await serve(fixtureConfig('isolated'), { keepAliveMs: 60_000 });
      const session = await openSession(port, '2025-06-18');
      const c = curl([
        '-X',
        'POST',
        '-H',
        'Content-Type: application/json',
        '-H',
        `Accept: ${BOTH}`,
        '-H',
        `Mcp-Session-Id: ${session}`,
        '--data-binary',
        JSON.stringify(toolCall(7, 'slow', { ms: 300, steps: 3 }, meta('curl-tok'))),
        url,
      ]);
      expect(await c.exited()).toBe(0); // the stream ended by itself after the response
      const { status, headers, body } = splitCurl(c.output());
      expect(status).toBe(200);
      expectSseHeaders(headers);
      const frames = expectFrames(body, true);
      const msgs = frames.map((f) => JSON.parse(f.data!) as Record<string, unknown>);
      expect(msgs.map((m) => m['method'] ?? m['id'])).toEqual([
        'notifications/progress',
        'notifications/progress',
        'notifications/progress',
        7,
      ]);
    },
    T,
  );

  it(
    'a logging notification of a call comes on that call stream, before its response',
    async () => {
      const { port } = await serve(fixtureConfig('shared'), { keepAliveMs: 60_000 });
      const session = await openSession(port, '2025-11-25');
      const x = await postRpc(port, toolCall('L', 'log', { message: 'hi' }), { 'mcp-session-id': session });
      expect(x.status).toBe(200);
      expectSseHeaders(x.headers);
      // A 2025-11-25 session: the stream starts with the priming event (PROTOCOL.md "SSE").
      expect(x.body).toMatch(/^id: [^\n]+\nevent: message\nretry: \d+\ndata: \n\n/);
      const frames = expectFrames(x.body, true, true);
      const msgs = frames.map((f) => JSON.parse(f.data!) as Record<string, unknown>);
      expect(msgs.map((m) => m['method'] ?? m['id'])).toEqual(['notifications/message', 'L']);
    },
    T,
  );
});

/** One whole HTTP/1.1 answer read off a raw socket (chunked or Content-Length), and how many reads it took. */
function readAnswer(socket: Socket): Promise<{ text: string; reads: number }> {
  return new Promise((resolve) => {
    let text = '';
    let reads = 0;
    const complete = () => {
      const head = text.indexOf('\r\n\r\n');
      if (head === -1) return false;
      const length = /\r\ncontent-length: (\d+)\r\n/i.exec(text.slice(0, head + 2));
      if (length) return Buffer.byteLength(text.slice(head + 4)) >= Number(length[1]);
      return text.endsWith('0\r\n\r\n');
    };
    const onData = (d: Buffer) => {
      reads++;
      text += d.toString();
      if (complete()) {
        socket.off('data', onData);
        resolve({ text, reads });
      }
    };
    socket.on('data', onData);
  });
}

describe('POST stream timing', () => {
  // Quick answers leave in one write whatever their form: JSON (the response came first and
  // the client takes JSON), SSE (the client takes only SSE), SSE with the priming event.
  it.each([
    { version: '2025-06-18', accept: BOTH, form: 'json' },
    { version: '2025-11-25', accept: BOTH, form: 'json' },
    { version: '2025-06-18', accept: 'text/event-stream', form: 'sse' },
    { version: '2025-11-25', accept: 'text/event-stream', form: 'sse+priming' },
  ])(
    'a quick answer leaves in one write ($version, Accept: $accept → $form)',
    async ({ version, accept, form }) => {
      const { port } = await serve(fixtureConfig('isolated'), { keepAliveMs: 60_000 });
      const session = await openSession(port, version);
      const socket = connect(port, '127.0.0.1');
      onCleanup(() => {
        socket.destroy();
      });
      await new Promise((r) => socket.once('connect', r));
      socket.setNoDelay(true);
      const readsPerAnswer: number[] = [];
      for (let i = 0; i < 20; i++) {
        const body = JSON.stringify(toolCall(`q${i}`, 'echo', { text: `n${i}` }));
        const answer = readAnswer(socket);
        socket.write(
          `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
            `Accept: ${accept}\r\nMcp-Session-Id: ${session}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
        const { text, reads } = await answer;
        expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
        expect(text.toLowerCase()).toContain(`mcp-session-id: ${session.toLowerCase()}`);
        const bodyText = text.slice(text.indexOf('\r\n\r\n') + 4);
        if (form === 'json') {
          expect(text.toLowerCase()).toContain('content-type: application/json');
          expect(JSON.parse(bodyText)).toMatchObject({
            id: `q${i}`,
            result: { content: [{ text: `n${i}` }] },
          });
        } else {
          expect(text.toLowerCase()).toContain('x-accel-buffering: no');
          expect(text).toMatch(new RegExp(`event: message\ndata: .*"id":"q${i}"`));
          if (form === 'sse+priming')
            expect(bodyText).toMatch(/^[0-9a-f]+\r\nid: [^\n]+\nevent: message\nretry: \d+\ndata: \n\n/);
          else expect(bodyText).not.toContain('retry:');
        }
        readsPerAnswer.push(reads);
      }
      expect(readsPerAnswer).toEqual(readsPerAnswer.map(() => 1));
    },
    T,
  );

  it(
    'a slow answer: JSON once it comes when the client takes JSON; an SSE-only client sees its stream start at once',
    async () => {
      const { port } = await serve(fixtureConfig('isolated'), { keepAliveMs: 60_000 });
      const session = await openSession(port, '2025-06-18');
      const slowCall = (id: string, accept: string) =>
        stream(port, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept, 'mcp-session-id': session },
          body: JSON.stringify(toolCall(id, 'slow', { ms: 800, steps: 0 })),
        });
      // Nothing streamed before the response: one JSON body, held until it came.
      let started = Date.now();
      const j = slowCall('slow-json', BOTH);
      const rj = await j.response();
      expect(Date.now() - started).toBeGreaterThanOrEqual(800);
      expect(rj.headers['content-type']).toBe('application/json');
      expect(rj.headers['mcp-session-id']).toBe(session);
      expect(await j.ended(5000)).toBe('end');
      expect(JSON.parse(j.text())).toMatchObject({
        id: 'slow-json',
        result: { content: [{ type: 'text' }] },
      });

      started = Date.now();
      const s = slowCall('slow-1', 'text/event-stream');
      const r = await s.response();
      const headersAfter = Date.now() - started;
      expectSseHeaders(r.headers);
      expect(headersAfter).toBeLessThan(400);
      expect(await s.ended(5000)).toBe('end');
      expect(Date.now() - started).toBeGreaterThanOrEqual(800);
      expect(expectFrames(s.text(), true).map((f) => (JSON.parse(f.data!) as { id: string }).id)).toEqual([
        'slow-1',
      ]);
    },
    T,
  );
});

describe('GET streams', () => {
  it.each([
    ['2025-03-26', false],
    ['2025-06-18', false],
    ['2025-11-25', true],
  ] as const)(
    'session %s: priming id + retry only from 2025-11-25 (node:http and curl)',
    async (version, primed) => {
      const { port, url } = await serve(fixtureConfig('isolated'), { keepAliveMs: 100, retryMs: 1234 });
      const session = await openSession(port, version);
      const s = stream(port, { headers: { accept: 'text/event-stream', 'mcp-session-id': session } });
      onCleanup(() => s.destroy());
      const r = await s.response();
      expect(r.status).toBe(200);
      expectSseHeaders(r.headers);
      expect(r.headers['mcp-session-id']).toBe(session);
      // Two keep-alives in: whatever comes first has come.
      await s.waitFor((b) => b.split(KEEPALIVE).length > 2, 3000, 'two keep-alives');
      const first = parseSse(s.text()).blocks;
      if (primed) {
        expect(first[0]!.raw).toMatch(/^id: [^\n]+\nevent: message\nretry: 1234\ndata: \n\n$/);
        expect(first.slice(1).every((b) => b.raw === KEEPALIVE)).toBe(true);
      } else {
        expect(first.every((b) => b.raw === KEEPALIVE)).toBe(true);
        expect(s.text()).not.toMatch(/^(retry|id|data):/m);
      }
      // A server message on the GET stream: a resumable frame with a `g` stream id.
      const call = await postRpc(port, toolCall(2, 'notify_list_changed', { kind: 'tools' }), {
        'mcp-session-id': session,
        accept: 'application/json',
      });
      expect(call.status).toBe(200);
      const body = await s.waitFor((b) => sseMessages(b).length >= 1, 3000, 'list_changed');
      const frames = expectFrames(body, true, primed);
      expect(frames).toHaveLength(1);
      expect(JSON.parse(frames[0]!.data!)).toEqual({
        jsonrpc: '2.0',
        method: 'notifications/tools/list_changed',
      });
      s.destroy();

      // curl sees the same start.
      const c = curl(['-H', 'Accept: text/event-stream', '-H', `Mcp-Session-Id: ${session}`, url], 3);
      const out = await c.waitFor((o) => o.split(KEEPALIVE).length > 2, 4000, 'two keep-alives');
      c.kill();
      const { status, headers, body: cbody } = splitCurl(out);
      expect(status).toBe(200);
      expectSseHeaders(headers);
      const blocks = parseSse(cbody).blocks;
      if (primed) expect(blocks[0]!.raw).toMatch(/^id: [^\n]+\nevent: message\nretry: 1234\ndata: \n\n$/);
      else expect(blocks.every((b) => b.raw === KEEPALIVE)).toBe(true);
    },
    T,
  );
});

describe('replay with Last-Event-ID', () => {
  /**
   * Session A gets a slow call's stream, reads its first frame and drops; meanwhile A's
   * other stream, A's GET stream and session B all get traffic. A resume with the last
   * id A saw must carry exactly the rest of that one stream.
   */
  it(
    'returns exactly the frames that stream missed — not another stream, not another session — and then ends',
    async () => {
      const { port, url, runtime } = await serve(fixtureConfig('isolated'), { keepAliveMs: 60_000 });
      const a = await openSession(port, '2025-11-25');
      const b = await openSession(port, '2025-11-25');
      const post = (session: string, body: unknown) =>
        stream(port, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: BOTH, 'mcp-session-id': session },
          body: JSON.stringify(body),
        });
      const getA = stream(port, { headers: { accept: 'text/event-stream', 'mcp-session-id': a } });
      onCleanup(() => getA.destroy());
      await getA.response();

      const dropped = post(a, toolCall('A-slow', 'slow', { ms: 800, steps: 8 }, meta('A-tok')));
      onCleanup(() => dropped.destroy());
      const seen = await dropped.waitFor((t) => sseMessages(t).length >= 1, 3000, 'a first progress frame');
      dropped.destroy();
      const seenFrames = parseSse(seen).blocks.filter((f) => f.data);
      const lastSeen = seenFrames.at(-1)!.id!;
      const seenProgress = seenFrames.map(
        (f) => (JSON.parse(f.data!) as { params: { progress: number } }).params.progress,
      );

      // Traffic elsewhere while A's stream is down.
      const otherA = post(a, toolCall('A-other', 'slow', { ms: 100, steps: 2 }, meta('A-other-tok')));
      const inB = post(b, toolCall('B-slow', 'slow', { ms: 100, steps: 2 }, meta('B-tok')));
      await otherA.ended(3000);
      await inB.ended(3000);
      await postRpc(port, toolCall('A-list', 'notify_list_changed', { kind: 'tools' }), {
        'mcp-session-id': a,
        accept: 'application/json',
      });
      await getA.waitFor((t) => t.includes('list_changed'), 3000, 'list_changed on A GET');
      await until(() => serverAnswered(runtime, 'A-slow'), 5000, 'A-slow to finish');
      await sleep(50);

      const expectedRest = [...Array(8).keys()].map((i) => i + 1).filter((p) => !seenProgress.includes(p));
      const check = (body: string) => {
        const frames = expectFrames(body, true);
        const msgs = frames.map((f) => JSON.parse(f.data!) as Record<string, unknown>);
        const stream = lastSeen.slice(0, lastSeen.lastIndexOf('.'));
        expect(frames.every((f) => f.id!.startsWith(`${stream}.`))).toBe(true);
        expect(msgs.slice(0, -1).map((m) => (m['params'] as { progress: number }).progress)).toEqual(
          expectedRest,
        );
        expect(
          msgs
            .slice(0, -1)
            .every((m) => (m['params'] as { progressToken: string }).progressToken === 'A-tok'),
        ).toBe(true);
        expect(msgs.at(-1)).toMatchObject({ id: 'A-slow', result: { content: [{ text: 'done' }] } });
        expect(body).not.toMatch(/A-other|B-tok|B-slow|list_changed/);
        return msgs.length;
      };

      // node:http: the resumed stream ends after its response, like the stream it resumes.
      const replay = stream(port, {
        headers: { accept: 'text/event-stream', 'mcp-session-id': a, 'last-event-id': lastSeen },
      });
      onCleanup(() => replay.destroy());
      const rr = await replay.response();
      expect(rr.status).toBe(200);
      expectSseHeaders(rr.headers);
      await replay.waitFor((t) => hasResponse(t, 'A-slow'), 3000, 'the replayed response');
      check(replay.text());

      // curl, same id, same bytes.
      const c = curl(
        [
          '-H',
          'Accept: text/event-stream',
          '-H',
          `Mcp-Session-Id: ${a}`,
          '-H',
          `Last-Event-ID: ${lastSeen}`,
          url,
        ],
        3,
      );
      const out = await c.waitFor(
        (o) => o.includes('"id":"A-slow"') && o.endsWith('\n\n'),
        4000,
        'the replay',
      );
      c.kill();
      const { status, headers, body } = splitCurl(out);
      expect(status).toBe(200);
      expectSseHeaders(headers);
      expect(body).toBe(replay.text());

      // Session B presenting A's id gets none of A's messages.
      const wrong = stream(port, {
        headers: { accept: 'text/event-stream', 'mcp-session-id': b, 'last-event-id': lastSeen },
      });
      onCleanup(() => wrong.destroy());
      expect((await wrong.response()).status).toBe(200);
      await sleep(200);
      expect(wrong.text()).not.toMatch(/A-tok|A-slow|A-other|list_changed/);

      // PROTOCOL.md: a POST stream "ends after the response". Resuming one must end the same
      // way once the replayed response is out; a replay left open holds the client's
      // connection (and a slot in the keep-alive ticker) until the session ends.
      expect(await replay.ended(2000).catch(() => 'still open')).toBe('end');
    },
    T,
  );

  it(
    'resuming a POST stream still in flight: the missed frames, then the live rest, then the end',
    async () => {
      const { port } = await serve(fixtureConfig('isolated'), { keepAliveMs: 60_000 });
      const session = await openSession(port, '2025-11-25');
      const dropped = stream(port, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: BOTH, 'mcp-session-id': session },
        body: JSON.stringify(toolCall('live', 'slow', { ms: 1200, steps: 6 }, meta('live-tok'))),
      });
      onCleanup(() => dropped.destroy());
      const seen = await dropped.waitFor((t) => sseMessages(t).length >= 1, 3000, 'a first progress frame');
      dropped.destroy();
      const seenFrames = parseSse(seen).blocks.filter((f) => f.data);
      const seenProgress = seenFrames.map(
        (f) => (JSON.parse(f.data!) as { params: { progress: number } }).params.progress,
      );
      await sleep(450); // a couple more steps happen while nobody listens
      const resumed = stream(port, {
        headers: {
          accept: 'text/event-stream',
          'mcp-session-id': session,
          'last-event-id': seenFrames.at(-1)!.id!,
        },
      });
      onCleanup(() => resumed.destroy());
      const r = await resumed.response();
      expect(r.status).toBe(200);
      expectSseHeaders(r.headers);
      expect(await resumed.ended(5000)).toBe('end'); // adopted: ends after the response
      const frames = expectFrames(resumed.text(), true);
      const msgs = frames.map((f) => JSON.parse(f.data!) as Record<string, unknown>);
      const progress = msgs.slice(0, -1).map((m) => (m['params'] as { progress: number }).progress);
      expect([...seenProgress, ...progress]).toEqual([1, 2, 3, 4, 5, 6]);
      expect(msgs.at(-1)).toMatchObject({ id: 'live', result: { content: [{ text: 'done' }] } });
      const stream0 = seenFrames[0]!.id!.slice(0, seenFrames[0]!.id!.lastIndexOf('.'));
      expect(frames.every((f) => f.id!.startsWith(`${stream0}.`))).toBe(true);
    },
    T,
  );

  it(
    'resuming the GET stream gives the messages it missed, once each',
    async () => {
      const { port } = await serve(fixtureConfig('isolated'), { keepAliveMs: 60_000 });
      const session = await openSession(port, '2025-11-25');
      const open = (lastEventId?: string) =>
        stream(port, {
          headers: {
            accept: 'text/event-stream',
            'mcp-session-id': session,
            ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
          },
        });
      const notify = async (kind: string, id: number) => {
        const x = await postRpc(port, toolCall(id, 'notify_list_changed', { kind }), {
          'mcp-session-id': session,
          accept: 'application/json',
        });
        expect(x.status).toBe(200);
      };
      const first = open();
      onCleanup(() => first.destroy());
      await first.response();
      await notify('tools', 2);
      const body = await first.waitFor((t) => sseMessages(t).length >= 1, 3000, 'tools/list_changed');
      const lastId = parseSse(body)
        .blocks.filter((f) => f.data)
        .at(-1)!.id!;
      expect(lastId).toMatch(/^g\./); // ids name the stream
      first.destroy();
      await sleep(100);
      await notify('resources', 3);
      await notify('prompts', 4);
      const resumed = open(lastId);
      onCleanup(() => resumed.destroy());
      expect((await resumed.response()).status).toBe(200);
      const got = await resumed.waitFor((t) => sseMessages(t).length >= 2, 3000, 'the two missed');
      await sleep(200);
      const frames = expectFrames(resumed.text(), true);
      expect(frames.map((f) => (JSON.parse(f.data!) as { method: string }).method)).toEqual([
        'notifications/resources/list_changed',
        'notifications/prompts/list_changed',
      ]);
      expect(got).not.toContain('tools/list_changed');
      expect(frames.every((f) => f.id!.startsWith('g.'))).toBe(true);
    },
    T,
  );
});

describe('legacy HTTP+SSE (2024-11-05)', () => {
  it(
    'GET /sse: endpoint event with an absolute URL, then responses as event: message (node:http)',
    async () => {
      const { port, url } = await serve(fixtureConfig('isolated'), { keepAliveMs: 100 });
      const s = stream(port, { path: '/sse', headers: { accept: 'text/event-stream' } });
      onCleanup(() => s.destroy());
      const r = await s.response();
      expect(r.status).toBe(200);
      expectSseHeaders(r.headers);
      const first = await s.waitFor((t) => t.includes('\n\n'), 3000, 'the endpoint event');
      const m =
        /^event: endpoint\ndata: (http:\/\/127\.0\.0\.1:(\d+)\/messages\?sessionId=([\x21-\x7e]+))\n\n/.exec(
          first,
        );
      expect(m, first).not.toBeNull();
      expect(Number(m![2])).toBe(port);
      const messages = m![1]!;
      expect(new URL(messages).origin).toBe(new URL(url).origin);

      const send = async (msg: unknown) => {
        const res = await fetch(messages, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(msg),
        });
        expect(res.status).toBe(202);
        expect(await res.text()).toBe('');
      };
      await send({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2024-11-05',
          capabilities: {},
          clientInfo: { name: 'legacy', version: '1' },
        },
      });
      await s.waitFor((t) => hasResponse(t.slice(first.length), 1), 3000, 'the initialize response');
      await send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      await send(toolCall(2, 'slow', { ms: 200, steps: 2 }, meta('legacy-tok')));
      await s.waitFor((t) => hasResponse(t.slice(first.length), 2), 3000, 'the tools/call response');
      await s.waitFor((t) => t.endsWith(KEEPALIVE), 2000, 'a keep-alive');

      const frames = expectFrames(s.text().slice(first.length), false);
      const msgs = frames.map((f) => JSON.parse(f.data!) as Record<string, unknown>);
      expect(msgs.map((x) => x['method'] ?? x['id'])).toEqual([
        1,
        'notifications/progress',
        'notifications/progress',
        2,
      ]);
      expect(msgs[0]).toMatchObject({ result: { protocolVersion: '2024-11-05' } });

      // Unknown session → 404; closing the stream ends the session.
      const unknown = await fetch(`http://127.0.0.1:${port}/messages?sessionId=nope`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping' }),
      });
      expect(unknown.status).toBe(404);
      s.destroy();
      const ping = async () =>
        (
          await fetch(messages, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'ping' }),
          })
        ).status;
      let status = await ping();
      for (const deadline = Date.now() + 10_000; status !== 404 && Date.now() < deadline;) {
        await sleep(50); // poll interval: the loop has the deadline
        status = await ping();
      }
      expect(status).toBe(404);
    },
    T,
  );

  it(
    'GET /sse through curl: endpoint event, then the response of a POST to it',
    async () => {
      const { port, endpoint } = await serve(fixtureConfig('isolated'), { keepAliveMs: 60_000 });
      const c = curl(['-H', 'Accept: text/event-stream', endpoint.sseUrl], 8);
      const head = await c.waitFor(
        (o) => /event: endpoint\ndata: [^\n]+\n\n/.test(o),
        4000,
        'the endpoint event',
      );
      const { status, headers, body } = splitCurl(head);
      expect(status).toBe(200);
      expectSseHeaders(headers);
      const m =
        /^event: endpoint\ndata: (http:\/\/127\.0\.0\.1:(\d+)\/messages\?sessionId=[\x21-\x7e]+)\n\n$/.exec(
          body,
        );
      expect(m, body).not.toBeNull();
      expect(Number(m![2])).toBe(port);
      const res = await fetch(m![1]!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 'i',
          method: 'initialize',
          params: {
            protocolVersion: '2024-11-05',
            capabilities: {},
            clientInfo: { name: 'curl', version: '1' },
          },
        }),
      });
      expect(res.status).toBe(202);
      const out = await c.waitFor((o) => o.includes('"id":"i"') && o.endsWith('\n\n'), 4000, 'the response');
      c.kill();
      const rest = splitCurl(out).body.slice(body.length);
      expect(rest).toMatch(/^event: message\ndata: \{[^\n]*"id":"i"[^\n]*\}\n\n$/);
    },
    T,
  );
});

/** The headers 2026-07-28 requires on a tools/call (version, Mcp-Method, Mcp-Name). */
const modernHeaders = (tool: string) => ({
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': 'tools/call',
  'mcp-name': tool,
});

describe('stateless 2026-07-28', () => {
  const META = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'wire', version: '1' },
  };
  const statelessCall = (id: string | number, name: string, args: Record<string, unknown>, extra = {}) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: args, _meta: { ...META, ...extra } },
  });
  const statelessServer = (flags: string[] = [], keepAliveMs = 60_000) =>
    serve(
      { command: process.execPath, args: [STATELESS_FIXTURE, ...flags], mode: 'isolated' },
      { keepAliveMs },
    );

  it(
    'a tools/call streams progress then the response, with no session and no ids (node:http and curl)',
    async () => {
      const { port, url } = await statelessServer();
      const body = JSON.stringify(
        statelessCall('s-1', 'slow', { ms: 300, steps: 3 }, { progressToken: 'st' }),
      );
      const headers = {
        'content-type': 'application/json',
        accept: BOTH,
        ...modernHeaders('slow'),
      };
      const s = stream(port, { method: 'POST', headers, body });
      const r = await s.response();
      expect(r.status).toBe(200);
      expectSseHeaders(r.headers);
      expect(r.headers['mcp-session-id']).toBeUndefined();
      expect(await s.ended(5000)).toBe('end');
      const frames = expectFrames(s.text(), false);
      const msgs = frames.map((f) => JSON.parse(f.data!) as Record<string, unknown>);
      expect(msgs.map((m) => m['method'] ?? m['id'])).toEqual([
        'notifications/progress',
        'notifications/progress',
        'notifications/progress',
        's-1',
      ]);
      expect(
        msgs.slice(0, 3).every((m) => (m['params'] as { progressToken: string }).progressToken === 'st'),
      ).toBe(true);

      const c = curl([
        '-X',
        'POST',
        ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
        '--data-binary',
        body,
        url,
      ]);
      expect(await c.exited()).toBe(0);
      const out = splitCurl(c.output());
      expect(out.status).toBe(200);
      expectSseHeaders(out.headers);
      const cmsgs = expectFrames(out.body, false).map((f) => JSON.parse(f.data!) as Record<string, unknown>);
      expect(cmsgs.map((m) => m['method'] ?? m['id'])).toEqual(msgs.map((m) => m['method'] ?? m['id']));
    },
    T,
  );

  it(
    'flushes the SSE headers at once, before the first frame',
    async () => {
      const { port } = await statelessServer();
      const s = stream(port, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: BOTH, ...modernHeaders('slow') },
        body: JSON.stringify(statelessCall('s-2', 'slow', { ms: 1500, steps: 0 })),
      });
      onCleanup(() => s.destroy());
      const started = Date.now();
      const r = await s.response(5000);
      expect(r.status).toBe(200);
      expectSseHeaders(r.headers);
      expect(Date.now() - started).toBeLessThan(700);
      await s.ended(5000);
    },
    T,
  );

  it(
    'keeps a long stateless call alive with keep-alive comments',
    async () => {
      const { port } = await statelessServer([], 100);
      const s = stream(port, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: BOTH, ...modernHeaders('slow') },
        body: JSON.stringify(statelessCall('s-3', 'slow', { ms: 700, steps: 0 })),
      });
      expect((await s.response()).status).toBe(200);
      await s.ended(5000);
      const body = s.text();
      expect(body.split(KEEPALIVE).length - 1).toBeGreaterThanOrEqual(3);
      const frames = expectFrames(body, false);
      expect(frames).toHaveLength(1);
      expect(JSON.parse(frames[0]!.data!)).toMatchObject({ id: 's-3' });
    },
    T,
  );

  it(
    'a header that does not match _meta → 400 / -32020; a legacy-only server is bridged',
    async () => {
      const { port } = await statelessServer();
      for (const header of ['2025-11-25', undefined]) {
        const x = await postRpc(port, statelessCall(5, 'echo', { text: 'x' }), {
          ...(header ? { 'mcp-protocol-version': header } : {}),
        });
        expect(x.status, String(header)).toBe(400);
        expect(json<{ id: unknown; error: { code: number } }>(x)).toMatchObject({
          id: 5,
          error: { code: -32020 },
        });
      }
      const ok = await postRpc(port, statelessCall(6, 'echo', { text: 'ok' }), {
        ...modernHeaders('echo'),
        accept: 'application/json',
      });
      expect(ok.status).toBe(200);
      expect(json(ok)).toMatchObject({ id: 6, result: { content: [{ text: 'ok' }] } });

      // PROTOCOL.md "The 2026-07-28 bridge": a legacy-only server is served through the bridge.
      const legacy = await statelessServer(['--legacy-only']);
      const bridged = await postRpc(legacy.port, statelessCall(7, 'echo', { text: 'bridged' }), {
        ...modernHeaders('echo'),
        accept: 'application/json',
      });
      expect(bridged.status).toBe(200);
      expect(json(bridged)).toMatchObject({ id: 7, result: { resultType: 'complete' } });
      expect(bridged.body).toContain('bridged');
    },
    T,
  );
});

describe('stateless 2026-07-28 while the start-up probe is still running', () => {
  it(
    'a legacy-only server is bridged once the probe answers, even when a keep-alive tick comes first',
    async () => {
      // The probe process takes 600 ms to answer; the request waits for it with an SSE
      // writer already registered with the keep-alive ticker (keepAliveMs: 50).
      const slowStart = `sleep 0.6; exec "${process.execPath}" "${STATELESS_FIXTURE}" --legacy-only`;
      const { port } = await serve(
        { command: '/bin/sh', args: ['-c', slowStart], mode: 'isolated' },
        { keepAliveMs: 50 },
      );
      const s = stream(port, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: BOTH, ...modernHeaders('echo') },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 'early',
          method: 'tools/call',
          params: {
            name: 'echo',
            arguments: { text: 'x' },
            _meta: {
              'io.modelcontextprotocol/protocolVersion': '2026-07-28',
              'io.modelcontextprotocol/clientCapabilities': {},
            },
          },
        }),
      });
      onCleanup(() => s.destroy());
      const r = await s.response(8000);
      await s.ended(8000);
      // Bridged once the probe has answered: the answer comes whole, after the probe.
      expect(r.status).toBe(200);
      expect(s.text()).toContain('"id":"early"');
      expect(s.text()).toContain('"resultType":"complete"');
    },
    T,
  );
});

describe('keep-alive', () => {
  it(
    'comments keep idle POST, GET and legacy streams alive (keepAliveMs: 100)',
    async () => {
      const { port } = await serve(fixtureConfig('isolated'), { keepAliveMs: 100 });
      const session = await openSession(port, '2025-06-18');
      const post = stream(port, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: BOTH, 'mcp-session-id': session },
        body: JSON.stringify(toolCall('ka', 'slow', { ms: 700, steps: 0 })),
      });
      const get = stream(port, { headers: { accept: 'text/event-stream', 'mcp-session-id': session } });
      const legacy = stream(port, { path: '/sse', headers: { accept: 'text/event-stream' } });
      for (const s of [get, legacy]) onCleanup(() => s.destroy());
      await post.ended(5000);
      const count = (s: RawStream) => s.text().split(KEEPALIVE).length - 1;
      expect(count(post)).toBeGreaterThanOrEqual(3);
      expect(hasResponse(post.text(), 'ka')).toBe(true);
      expect(post.text().endsWith('\n\n')).toBe(true);
      expect(count(get)).toBeGreaterThanOrEqual(3);
      expect(count(legacy)).toBeGreaterThanOrEqual(3);
      for (const s of [post, get]) expectFrames(s.text(), true);
      // Never two keep-alives glued into one write with a frame: each is its own block.
      expect(parseSse(legacy.text()).rest).toBe('');
    },
    T,
  );
});

describe('a client that stops reading', () => {
  it(
    'is cut off: the proxy destroys the GET stream of a flooded session, and memory stays bounded',
    async () => {
      const maxBuffered = 64 * 1024;
      const { port } = await serve(fixtureConfig('shared'), {
        keepAliveMs: 60_000,
        sseMaxBufferedBytes: maxBuffered,
        maxQueued: 50,
      });
      const session = await openSession(port, '2025-06-18');

      // A raw socket: read the response head, then never read again.
      const sock = connect(port, '127.0.0.1');
      onCleanup(() => {
        sock.destroy();
      });
      let received = 0;
      let head = '';
      let closed = false;
      sock.on('close', () => (closed = true));
      sock.on('error', () => {});
      await new Promise<void>((resolve, reject) => {
        sock.once('connect', () =>
          sock.write(
            `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\nMcp-Session-Id: ${session}\r\n\r\n`,
          ),
        );
        const onData = (d: Buffer) => {
          head += d.toString('latin1');
          if (!head.includes('\r\n\r\n')) return;
          sock.off('data', onData);
          sock.pause();
          resolve();
        };
        sock.on('data', onData);
        setTimeout(() => reject(new Error(`no response head: ${JSON.stringify(head)}`)), 3000);
      });
      expect(head).toMatch(/^HTTP\/1\.1 200 /);

      const rssBefore = process.memoryUsage().rss;
      const count = 30_000;
      const size = 1000;
      // JSON-mode call: its log notifications spill onto the (unread) GET stream.
      const flood = await postRpc(port, toolCall('flood', 'flood', { count, size }), {
        'mcp-session-id': session,
        accept: 'application/json',
      });
      expect(flood.status).toBe(200);
      expect(json(flood)).toMatchObject({ id: 'flood', result: { content: [{ text: 'flooded' }] } });
      const rssGrowth = process.memoryUsage().rss - rssBefore;

      // Now read: the proxy must have closed the connection, after far less than the flood.
      let tail = '';
      sock.on('data', (d: Buffer) => {
        received += d.length;
        tail = (tail + d.toString('latin1')).slice(-16);
      });
      sock.resume();
      await until(() => closed, 10_000, 'the proxy to close the unread stream');
      const floodBytes = count * size;
      expect(received).toBeLessThan(floodBytes / 2);
      expect(tail.endsWith('0\r\n\r\n')).toBe(false); // cut off, not ended normally
      expect(rssGrowth).toBeLessThan(200 * 1024 * 1024);

      // The session lives on: a new GET works and gets at most maxQueued waiting messages.
      const again = stream(port, { headers: { accept: 'text/event-stream', 'mcp-session-id': session } });
      onCleanup(() => again.destroy());
      expect((await again.response()).status).toBe(200);
      // A marker sent now arrives after whatever was still queued: count up to it, no sleep.
      const marker = await postRpc(port, toolCall('marker', 'flood', { count: 1, size: 7 }), {
        'mcp-session-id': session,
        accept: 'application/json',
      });
      expect(marker.status).toBe(200);
      const isMarker = (m: { msg: Record<string, unknown> }) =>
        (m.msg['params'] as { data?: unknown } | undefined)?.data === 'fffffff';
      await until(() => sseMessages(again.text()).some(isMarker), 10_000, 'the marker on the new stream');
      const delivered = sseMessages(again.text());
      expect(delivered.findIndex(isMarker)).toBeLessThanOrEqual(50); // at most maxQueued before it
    },
    T,
  );
});
