import { afterEach, describe, expect, it } from 'vitest';
import { fixtureConfig } from '../support/engine-client';
import { BOTH, cleanupAll, json, openSession, postRpc, serve, stream, toolCall } from '../support/http-wire';
import { rawExchange } from '../support/raw-http';

// Issue 10, Bad input: the cases the fuzz run (fuzz.test.ts) found, pinned down one by one.

afterEach(cleanupAll);

describe('bad input the fuzz run found', () => {
  for (const mode of ['isolated', 'shared'] as const) {
    it(`${mode}: a request id reused while the first is in flight → 400 with that id; the first is still answered`, async () => {
      const { port } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000 });
      const session = await openSession(port, '2025-06-18');
      const headers = { 'mcp-session-id': session };
      const first = stream(port, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: BOTH, ...headers },
        body: JSON.stringify(toolCall('dup', 'slow', { ms: 400, steps: 2 }, { progressToken: 'dup' })),
      });
      await first.waitFor((b) => b.includes('notifications/progress'), 3000, 'the first call to run');
      const second = await postRpc(port, toolCall('dup', 'echo', { text: 'x' }), {
        ...headers,
        accept: 'application/json',
      });
      expect(second.status).toBe(400);
      expect(json(second)).toMatchObject({ id: 'dup', error: { code: -32600 } });
      // Before, the second POST took over the id and the first one waited for ever.
      await first.waitFor(
        (b) => b.includes('"result"') && b.includes('"id":"dup"'),
        3000,
        'the first answer',
      );
      expect(await first.ended(2000)).toBe('end');
    });
  }

  it('a 2025-03-26 batch that repeats an id → 400, nothing forwarded', async () => {
    const { port, runtime } = await serve(fixtureConfig('isolated'), { keepAliveMs: 60_000 });
    const session = await openSession(port, '2025-03-26');
    // What went to the server's stdin; Patchbay's lifecycle notes (spawns of the spare) ride that leg too.
    const toServer = () =>
      runtime.frames.since().filter((f) => f.leg === 'proxy→server' && f.kind !== 'note').length;
    const before = toServer();
    const batch = [toolCall(7, 'echo', { text: 'a' }), toolCall(7, 'echo', { text: 'b' })];
    const x = await postRpc(port, batch, { 'mcp-session-id': session, accept: 'application/json' });
    expect(x.status).toBe(400);
    expect(json(x)).toMatchObject({ id: 7, error: { code: -32600 } });
    expect(toServer()).toBe(before);
  });

  it('CONNECT, an unparsable request and an oversize body each get a JSON answer, even with 4 MiB still coming', async () => {
    const { port } = await serve(fixtureConfig('isolated'), { keepAliveMs: 60_000 });
    const big = Buffer.alloc(4 * 1024 * 1024 + 100, 0x20);
    const host = `Host: 127.0.0.1:${port}\r\nConnection: close\r\n`;
    const cases: [string, Buffer, number][] = [
      ['CONNECT', Buffer.from(`CONNECT 127.0.0.1:${port} HTTP/1.1\r\n${host}\r\n`), 405],
      [
        'lowercase method',
        Buffer.concat([
          Buffer.from(`post /mcp HTTP/1.1\r\n${host}Content-Length: ${big.length}\r\n\r\n`),
          big,
        ]),
        400,
      ],
      [
        'Content-Length and chunked',
        Buffer.concat([
          Buffer.from(
            `POST /mcp HTTP/1.1\r\n${host}Content-Length: ${big.length}\r\nTransfer-Encoding: chunked\r\n\r\n`,
          ),
          big,
        ]),
        400,
      ],
      [
        'over the body limit',
        Buffer.concat([
          Buffer.from(
            `POST /mcp HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n`,
          ),
          big,
        ]),
        413,
      ],
      [
        'a refusal before the body is read (foreign Origin)',
        Buffer.concat([
          Buffer.from(
            `POST /mcp HTTP/1.1\r\n${host}Origin: http://evil.example\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n`,
          ),
          big,
        ]),
        403,
      ],
    ];
    for (const [what, bytes, status] of cases) {
      const r = await rawExchange(port, bytes, { timeoutMs: 10_000 });
      if (!r.ok) throw new Error(`${what}: ${r.why}`);
      expect(r.answer.status, what).toBe(status);
      expect(r.answer.headers['content-type'], what).toBe('application/json');
      expect(JSON.parse(r.answer.body.toString()), what).toMatchObject({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600 },
      });
    }
  });
});
