import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureConfig } from '../support/engine-client';
import {
  BOTH,
  cleanupAll,
  json,
  openSession,
  postRpc,
  serve,
  sseMessages,
  toolCall,
} from '../support/http-wire';
import { MiB, collectGarbage, rssBytes } from '../support/proc-stats';

// Issue 10, Faults: what a server writes on stdout cannot hurt the proxy or its other
// servers: a flood, junk that is not JSON-RPC, and a 16 MiB message each way. Engine-level
// noise handling is in test/integration/engine-isolated.test.ts ("keeps noise and
// multi-megabyte lines from breaking the session"); a client that stops reading is in
// test/integration/http-sse-bytes.test.ts ("a client that stops reading").

afterEach(cleanupAll);

const VERSION = '2025-06-18';

/** POSTs and reads the whole answer, keeping only its size and its last bytes (a flood stays out of our memory). */
function drain(
  port: number,
  session: string,
  message: unknown,
  accept = BOTH,
): Promise<{ status: number; bytes: number; tail: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/mcp',
        agent: false,
        headers: { 'content-type': 'application/json', accept, 'mcp-session-id': session },
      },
      (res) => {
        let bytes = 0;
        let tail = '';
        res.on('data', (d: Buffer) => {
          bytes += d.length;
          tail = (tail + d.toString('utf8')).slice(-64 * 1024);
        });
        res.once('end', () => resolve({ status: res.statusCode ?? 0, bytes, tail }));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.setTimeout(60_000, () => req.destroy(new Error('no answer in 60 s')));
    req.end(JSON.stringify(message));
  });
}

/** Calls echo on `port` in a loop until `stop()`; returns each call's latency. */
async function echoLoop(port: number, session: string, stop: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; !stop(); i++) {
    const t = performance.now();
    const x = await postRpc(port, toolCall(`b${i}`, 'echo', { text: `b ${i}` }), {
      'mcp-session-id': session,
      accept: 'application/json',
    });
    latencies.push(performance.now() - t);
    expect(x.status).toBe(200);
    expect(json(x)).toMatchObject({ id: `b${i}`, result: { content: [{ text: `b ${i}` }] } });
  }
  return latencies;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;

describe('a server that floods stdout', () => {
  it('memory stays bounded, and another server in the same process keeps answering', async () => {
    const a = await serve(fixtureConfig('isolated', { id: 'flooder' }), { keepAliveMs: 60_000 });
    const b = await serve(fixtureConfig('isolated', { id: 'bystander' }), { keepAliveMs: 60_000 });
    const sa = await openSession(a.port, VERSION);
    const sb = await openSession(b.port, VERSION);

    const settled = () => {
      collectGarbage();
      return rssBytes();
    };
    const before = settled();
    // What JS still holds after a full GC: the heap plus Buffers. RSS also counts freed
    // native memory the allocator keeps for reuse, so it rises to a plateau and stays.
    const jsHeld = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.external + m.arrayBuffers;
    };
    const heldBefore = jsHeld();
    const heldByJs: number[] = [];
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes())), 50);
    let flooding = true;
    const bystander = echoLoop(b.port, sb, () => !flooding);
    const started = Date.now();
    const kept: number[] = [];
    try {
      // Twice: 40 000 log notifications of 1 000 bytes on the call's SSE stream (~29 MB of
      // frames), then 16 MiB of junk lines and one 40 MiB line (over the 32 MiB line cap).
      // What the proxy keeps after the second round must not exceed what it kept after the first.
      for (let round = 1; round <= 2; round++) {
        const flood = await drain(
          a.port,
          sa,
          toolCall(`flood${round}`, 'flood', { count: 25_000, size: 1000 }),
        );
        expect(flood.status).toBe(200);
        expect(flood.bytes).toBeGreaterThan(25_000 * 1000);
        const last = sseMessages(flood.tail.slice(flood.tail.indexOf('\n\nid:') + 2)).at(-1)?.msg;
        expect(last).toMatchObject({ id: `flood${round}`, result: { content: [{ text: 'flooded' }] } });
        const junk = await drain(
          a.port,
          sa,
          toolCall(`junk${round}`, 'garbage', { bytes: 16 * MiB, longLine: 40 * MiB }),
          'application/json',
        );
        expect(junk.status).toBe(200);
        expect(JSON.parse(junk.tail)).toMatchObject({
          id: `junk${round}`,
          result: { content: [{ text: 'garbage written' }] },
        });
        kept.push(settled());
        heldByJs.push(jsHeld());
      }
    } finally {
      flooding = false;
      clearInterval(sampler);
    }
    const latencies = await bystander;
    const seconds = (Date.now() - started) / 1000;

    // The flooded server still works, and its frame log kept its bound.
    const after = await postRpc(a.port, toolCall('after', 'echo', { text: 'still here' }), {
      'mcp-session-id': sa,
      accept: 'application/json',
    });
    expect(json(after)).toMatchObject({ result: { content: [{ text: 'still here' }] } });
    expect(a.runtime.frames.size).toBeLessThanOrEqual(20_000);
    expect(a.runtime.frames.since().some((f) => f.kind === 'noise')).toBe(true);

    const mib = (n: number) => (n / MiB).toFixed(0);
    console.log(
      `[flood] ${seconds.toFixed(1)} s, 2 rounds of ~29 MB of frames + 56 MiB of junk; test-process RSS after GC ${mib(before)} → ${mib(kept[0]!)} → ${mib(kept[1]!)} MiB (peak ${mib(peak)}), ` +
        `held by JS ${mib(heldBefore)} → ${mib(heldByJs[0]!)} → ${mib(heldByJs[1]!)} MiB; ` +
        `bystander: ${latencies.length} echoes, p50 ${pct(latencies, 0.5).toFixed(1)} ms, p99 ${pct(latencies, 0.99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
    );
    // Bounded by the frame ring (20 000 frames / 64 Mi chars: up to 128 MiB, as junk decoded
    // with U+FFFD makes two-byte strings), the event store (8 MiB) and socket buffers, not by
    // how much the server writes (~85 MiB a round): each round stays under the same ceiling
    // (what the ring holds after a round depends on its mix of frames and junk, so the two
    // rounds are not compared with each other). RSS only gets a sanity bound: the allocator
    // keeps freed pages for reuse.
    expect(heldByJs[0]! - heldBefore).toBeLessThan(192 * MiB);
    expect(heldByJs[1]! - heldBefore).toBeLessThan(192 * MiB);
    expect(peak).toBeLessThan(1024 * MiB);
    expect(latencies.length).toBeGreaterThan(20);
    expect(pct(latencies, 0.99)).toBeLessThan(1000);
  });
});

describe('a 16 MiB message each way', () => {
  for (const mode of ['isolated', 'shared'] as const) {
    it(`${mode}: a 16 MiB request in and a 16 MiB response out, as JSON and on SSE, byte for byte`, async () => {
      const { port } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000, maxBodyBytes: 20 * MiB });
      const session = await openSession(port, VERSION);
      // Not all one character: a slipped or doubled byte would show.
      const text = Array.from({ length: 16 * 64 }, (_, i) => String(i % 10).repeat(16 * 1024)).join('');
      expect(text.length).toBe(16 * MiB);
      // JSON-only and both-types clients get JSON (nothing streams before the response, issue 14);
      // an SSE-only client gets the same bytes as one SSE event.
      for (const [accept, form] of [
        ['application/json', 'application/json'],
        [BOTH, 'application/json'],
        ['text/event-stream', 'text/event-stream'],
      ] as const) {
        const t = Date.now();
        const x = await postRpc(port, toolCall('big-echo', 'echo', { text }), {
          'mcp-session-id': session,
          accept,
        });
        expect(x.status).toBe(200);
        expect(x.headers['content-type']).toContain(form);
        const msg =
          form === 'text/event-stream'
            ? (sseMessages(x.body).find((m) => m.msg['id'] === 'big-echo')?.msg as Record<string, unknown>)
            : json(x);
        const got = (msg as { result: { content: { text: string }[] } }).result.content[0]!.text;
        expect(got.length).toBe(text.length);
        expect(got === text).toBe(true);
        console.log(`[16 MiB ${mode}] ${accept} → ${form} round trip ${Date.now() - t} ms`);
      }
      // And a body over the configured limit is still refused cleanly.
      const over = await postRpc(port, toolCall('too-big', 'echo', { text: text + text }), {
        'mcp-session-id': session,
      });
      expect(over.status).toBe(413);
    });
  }
});
