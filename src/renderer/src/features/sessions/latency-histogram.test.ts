import { describe, expect, it } from 'vitest';
import { LATENCY_EDGES, percentile, summarizeLatencies } from './latency-histogram';

describe('summarizeLatencies', () => {
  it('puts each latency in the bucket below its next edge', () => {
    const s = summarizeLatencies([0, 0.9, 1, 4.99, 5, 999, 1000, 10_000, 60_000]);
    const byLabel = Object.fromEntries(s.buckets.map((b) => [b.label, b.count]));
    expect(byLabel['<1 ms']).toBe(2);
    expect(byLabel['<2 ms']).toBe(1);
    expect(byLabel['<5 ms']).toBe(1);
    expect(byLabel['<10 ms']).toBe(1);
    expect(byLabel['<1 s']).toBe(1);
    expect(byLabel['<2 s']).toBe(1);
    expect(byLabel['≥10 s']).toBe(2);
    expect(s.buckets).toHaveLength(LATENCY_EDGES.length + 1);
    expect(s.buckets.reduce((a, b) => a + b.count, 0)).toBe(9);
    expect(s.count).toBe(9);
    expect(s.max).toBe(60_000);
  });

  it('ignores values that are not latencies', () => {
    const s = summarizeLatencies([Number.NaN, -1, Number.POSITIVE_INFINITY, 3]);
    expect(s.count).toBe(1);
    expect(s.p50).toBe(3);
  });

  it('has no percentiles without data', () => {
    const s = summarizeLatencies([]);
    expect([s.count, s.p50, s.p90, s.p99, s.max]).toEqual([0, undefined, undefined, undefined, undefined]);
  });

  it('reads percentiles by nearest rank', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1).reverse();
    const s = summarizeLatencies(hundred);
    expect([s.p50, s.p90, s.p99]).toEqual([50, 90, 99]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 0)).toBe(1);
  });
});
