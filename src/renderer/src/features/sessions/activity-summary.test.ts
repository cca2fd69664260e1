import { describe, expect, it } from 'vitest';
import { rate, summarizeActivity } from './activity-summary';

describe('summarizeActivity', () => {
  it('reads the rate from the newest bucket and labels every span', () => {
    const s = summarizeActivity([0, 4, 10, 3]);
    expect(s.perSecond).toBeCloseTo(0.3);
    expect(s.total).toBe(17);
    expect(s.peak).toBe(10);
    expect(s.bars.map((b) => b.span)).toEqual(['40–30 s ago', '30–20 s ago', '20–10 s ago', 'last 10 s']);
  });

  it('is all zero without activity (a stopped server)', () => {
    expect(summarizeActivity(undefined)).toEqual({ perSecond: 0, total: 0, peak: 0, bars: [] });
  });

  it('formats rates', () => {
    expect(rate(0)).toBe('0.0 req/s');
    expect(rate(0.34)).toBe('0.3 req/s');
    expect(rate(12.4)).toBe('12 req/s');
  });
});
