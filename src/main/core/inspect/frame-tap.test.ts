import { describe, expect, it } from 'vitest';
import { FrameTap } from './frame-tap';

const req = (id: number | string, method = 'tools/call') => JSON.stringify({ jsonrpc: '2.0', id, method });
const res = (id: number | string) => JSON.stringify({ jsonrpc: '2.0', id, result: {} });

describe('FrameTap', () => {
  it('works out kind, method, id, bytes and pairs request/response latency per leg pair', async () => {
    const tap = new FrameTap('srv');
    tap.record('client→proxy', 'http', 's1', req(7));
    await new Promise((r) => setTimeout(r, 20));
    tap.record('proxy→server', 'stdio', 's1', req(7));
    tap.record('server→proxy', 'stdio', 's1', res(7));
    tap.record('proxy→client', 'sse', 's1', `id: p1.1\nevent: message\ndata: ${res(7)}\n\n`);
    tap.record('server→proxy', 'stdio', 's1', 'not json', undefined, 'noise');
    const frames = tap.since();
    expect(frames.map((f) => [f.leg, f.kind, f.method, f.rpcId])).toEqual([
      ['client→proxy', 'request', 'tools/call', 7],
      ['proxy→server', 'request', 'tools/call', 7],
      ['server→proxy', 'response', undefined, 7],
      ['proxy→client', 'response', undefined, 7],
      ['server→proxy', 'noise', undefined, undefined],
    ]);
    expect(frames[3]!.latencyMs).toBeGreaterThanOrEqual(15);
    expect(frames[2]!.latencyMs).toBeLessThan(frames[3]!.latencyMs!);
    expect(frames[3]!.raw.startsWith('id: p1.1\nevent: message\ndata: ')).toBe(true);
    expect(frames[0]!.bytes).toBe(Buffer.byteLength(req(7)));
  });

  it('keeps the same id of two sessions apart', () => {
    const tap = new FrameTap('srv');
    tap.record('client→proxy', 'http', 'a', req(1));
    tap.record('client→proxy', 'http', 'b', req(1));
    tap.record('proxy→client', 'http', 'b', res(1));
    tap.record('proxy→client', 'http', 'a', res(1));
    const [, , rb, ra] = tap.since();
    expect(rb!.latencyMs).toBeDefined();
    expect(ra!.latencyMs).toBeDefined();
  });

  it('is bounded by count and characters', () => {
    const tap = new FrameTap('srv', { maxFrames: 100, maxChars: 10_000 });
    for (let i = 0; i < 10_000; i++) tap.record('client→proxy', 'http', 's', req(i));
    expect(tap.size).toBeLessThanOrEqual(100);
    expect(tap.since().at(-1)!.rpcId).toBe(9999);
    const big = new FrameTap('srv', { maxChars: 1000 });
    for (let i = 0; i < 50; i++) big.record('client→proxy', 'http', 's', 'x'.repeat(300), undefined, 'noise');
    expect(big.size).toBeLessThanOrEqual(3);
  });

  it('batches to subscribers later and skips the oldest for a slow one', async () => {
    const tap = new FrameTap('srv', { maxPendingPerSubscriber: 10 });
    const batches: { n: number; skipped: number; first: number }[] = [];
    tap.subscribe((b) => batches.push({ n: b.frames.length, skipped: b.skipped, first: b.frames[0]!.seq }));
    for (let i = 0; i < 25; i++) tap.record('client→proxy', 'http', 's', req(i));
    expect(batches).toEqual([]); // nothing on the recording path
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([{ n: 10, skipped: 15, first: 16 }]);
  });

  it('redacts secrets in what it hands out', () => {
    const tap = new FrameTap('srv');
    tap.redactor.setSecrets(['sk-very-secret']);
    tap.record('server→proxy', 'stdio', 's', '{"jsonrpc":"2.0","id":1,"result":{"key":"sk-very-secret"}}');
    expect(tap.since()[0]!.raw).toBe('{"jsonrpc":"2.0","id":1,"result":{"key":"[redacted]"}}');
  });

  it("marks Patchbay's own request and its answer, and leaves the user's traffic unmarked", () => {
    const tap = new FrameTap('srv');
    tap.record(
      'proxy→server',
      'stdio',
      undefined,
      req('patchbay-discover', 'server/discover'),
      undefined,
      undefined,
      {
        own: true,
      },
    );
    tap.record('client→proxy', 'http', 's1', req('patchbay-discover'));
    tap.record('proxy→server', 'stdio', 's1', req(1));
    tap.record(
      'server→proxy',
      'stdio',
      undefined,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 'patchbay-discover',
        error: { code: -32601, message: 'Method not found' },
      }),
    );
    tap.record('server→proxy', 'stdio', 's1', res(1));
    tap.record('proxy→client', 'http', 's1', res('patchbay-discover'));
    const frames = tap.since();
    expect(frames.map((f) => [f.leg, f.kind, f.by])).toEqual([
      ['proxy→server', 'request', 'patchbay'],
      ['client→proxy', 'request', undefined],
      ['proxy→server', 'request', undefined],
      ['server→proxy', 'error', 'patchbay'],
      ['server→proxy', 'response', undefined],
      ['proxy→client', 'response', undefined], // the user's id that equals the probe's stays the user's
    ]);
    expect(frames.filter((f) => !f.by).every((f) => !('by' in f))).toBe(true);
  });

  it('marks the answer also when the request was worked out before it arrived', async () => {
    const tap = new FrameTap('srv');
    const seen: (string | undefined)[] = [];
    tap.subscribe((b) => seen.push(...b.frames.map((f) => f.by)));
    tap.record('proxy→server', 'stdio', 's', req(5, 'initialize'), undefined, undefined, { own: true });
    await new Promise((r) => setImmediate(r));
    tap.record('server→proxy', 'stdio', 's', res(5));
    tap.record('server→proxy', 'stdio', 's', res(5)); // a second answer is not an own one
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['patchbay', 'patchbay', undefined]);
  });

  it('records notes as Patchbay events on the proxy→server stdio leg', () => {
    const tap = new FrameTap('srv');
    tap.note('s1', 'session revived');
    tap.note(undefined, 'process reclaimed');
    const [a, b] = tap.since();
    expect(a).toMatchObject({
      kind: 'note',
      by: 'patchbay',
      leg: 'proxy→server',
      transport: 'stdio',
      sessionId: 's1',
      raw: 'session revived',
      bytes: 15,
    });
    expect(a!.method).toBeUndefined();
    expect(b).toMatchObject({ kind: 'note', by: 'patchbay', raw: 'process reclaimed' });
    expect(b!.sessionId).toBeUndefined();
  });
});
