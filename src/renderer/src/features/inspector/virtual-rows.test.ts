import { describe, expect, it } from 'vitest';
import { ROW_HEIGHT, scrollToReveal, visibleRows } from './virtual-rows';

describe('virtual rows', () => {
  it('renders the rows in view plus a margin, never past the ends', () => {
    const r = visibleRows(1000 * ROW_HEIGHT, 20 * ROW_HEIGHT, 100_000);
    expect(r.start).toBeLessThanOrEqual(1000);
    expect(r.end).toBeGreaterThanOrEqual(1020);
    expect(r.end - r.start).toBeLessThan(60);
    expect(visibleRows(0, 400, 3)).toEqual({ start: 0, end: 3 });
    expect(visibleRows(0, 0, 0)).toEqual({ start: 0, end: 0 });
  });

  it('scrolls only as far as needed to reveal a row', () => {
    expect(scrollToReveal(5, 0, 10 * ROW_HEIGHT)).toBeUndefined();
    expect(scrollToReveal(2, 5 * ROW_HEIGHT, 10 * ROW_HEIGHT)).toBe(2 * ROW_HEIGHT);
    expect(scrollToReveal(20, 0, 10 * ROW_HEIGHT)).toBe(21 * ROW_HEIGHT - 10 * ROW_HEIGHT);
  });
});
