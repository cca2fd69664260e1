import type { Frame } from '@shared/frames';
import { expect, test } from 'vitest';
import { compileFilter, parseFilter } from './frame-filter';
import { FrameIndex } from './frame-index';
import { frame } from './test-frames';

// What the inspector's store does under a flood: 10,000 frames/s arrive as one batch of 500
// per 50 ms; a filter change rebuilds the view over everything held (100,000 at the cap);
// at the cap every batch also drops the oldest 500. The limits below are a guard, several
// times what a busy 2-core machine measures, well inside a 16 ms frame and the 100 ms rule.
const BATCH = 500;
const CAP = 100_000;
const LEGS = ['client→proxy', 'proxy→server', 'server→proxy', 'proxy→client'] as const;

function flood(count: number, firstSeq = 1): Frame[] {
  return Array.from({ length: count }, (_, i) => {
    const rpcId = Math.floor(i / 4);
    return frame(firstSeq + i, {
      leg: LEGS[i % 4],
      kind: i % 4 < 2 ? 'request' : 'response',
      method: i % 4 < 2 ? (i % 8 < 4 ? 'tools/call' : 'resources/read') : undefined,
      rpcId,
      sessionId: `session-${i % 7}`,
      raw: `{"jsonrpc":"2.0","id":${rpcId},"method":"tools/call","params":{"name":"echo","arguments":{"text":"${'x'.repeat(100)} ${i}"}}}`,
    });
  });
}
const batchesOf = (frames: Frame[]) =>
  Array.from({ length: Math.ceil(frames.length / BATCH) }, (_, i) =>
    frames.slice(i * BATCH, (i + 1) * BATCH),
  );

const textFilter = compileFilter(parseFilter('method:tools/call "echo" 99'));
const defaultFilter = compileFilter(parseFilter(''));

test('appending: one batch of 500 frames, with a filter on', async ({ bench }) => {
  const batches = batchesOf(flood(CAP));
  const filtered = () => {
    const index = new FrameIndex(CAP);
    index.setFilter(textFilter);
    return index;
  };
  let index = filtered();
  let next = 0;
  const result = await bench('append 500', () => {
    if (next === batches.length) {
      index = filtered();
      next = 0;
    }
    index.append(batches[next++]!);
  }).run({ time: 1_000 });
  expect(result.latency.mean).toBeLessThan(2);
});

test('at the cap: one batch of 500 in, the oldest 500 out', async ({ bench }) => {
  const index = new FrameIndex(CAP);
  index.setFilter(textFilter);
  for (const b of batchesOf(flood(CAP))) index.append(b);
  const extra = batchesOf(flood(BATCH * 200, CAP + 1));
  let round = 0;
  const result = await bench('append 500 at the cap', () => {
    // Seqs above everything held, so each call really appends and drops.
    const offset = Math.floor(round / extra.length) * BATCH * 200;
    const batch = extra[round++ % extra.length]!;
    index.append(offset === 0 ? batch : batch.map((f) => ({ ...f, seq: f.seq + offset })));
  }).run({ time: 1_000 });
  expect(index.size).toBe(CAP);
  expect(result.latency.mean).toBeLessThan(3);
});

test('a filter change over 100,000 frames', async ({ bench }) => {
  const index = new FrameIndex(CAP);
  for (const b of batchesOf(flood(CAP))) index.append(b);
  const results = await bench.compare(
    bench('method and free text', () => index.setFilter(textFilter)),
    bench('keep-alives hidden only', () => index.setFilter(defaultFilter)),
    { time: 1_000 },
  );
  expect(results.get('method and free text').latency.mean).toBeLessThan(40);
  expect(results.get('keep-alives hidden only').latency.mean).toBeLessThan(20);
});
