import { describe, expect, it } from 'vitest';
import { activityLabel, sparklinePath } from './sparkline';

describe('the activity sparkline', () => {
  it('draws the buckets across the box, the busiest at the top', () => {
    expect(sparklinePath([0, 2, 4], 40, 11)).toBe('M0 10.5 L20 5.5 L40 0.5');
  });

  it('draws an idle server as a flat line along the bottom', () => {
    expect(sparklinePath([0, 0, 0], 20, 11)).toBe('M0 10.5 L10 10.5 L20 10.5');
  });

  it('copes with one bucket or none', () => {
    expect(sparklinePath([], 20, 10)).toBe('');
    expect(sparklinePath([3], 20, 11)).toBe('M10 0.5');
  });

  it('labels the total for screen readers', () => {
    expect(activityLabel([1, 0, 3, 10, 0, 0, 0, 0, 0, 0, 0, 0])).toBe('14 requests in the last 2 minutes');
    expect(activityLabel(new Array<number>(12).fill(0))).toBe('0 requests in the last 2 minutes');
    expect(activityLabel([1, 0, 0, 0, 0, 0])).toBe('1 request in the last 1 minute');
    expect(activityLabel([1, 2, 3])).toBe('6 requests in the last 30 seconds');
  });
});
