import { describe, expect, it } from 'vitest';
import { duration, timeAgo } from './relative-time';

describe('timeAgo', () => {
  const now = 10_000_000;
  it('says how long ago in the largest sensible unit', () => {
    expect(timeAgo(now, now)).toBe('just now');
    expect(timeAgo(now + 5000, now)).toBe('just now'); // a clock a little ahead
    expect(timeAgo(now - 1999, now)).toBe('just now');
    expect(timeAgo(now - 42_000, now)).toBe('42 s ago');
    expect(timeAgo(now - 60_000, now)).toBe('1 min ago');
    expect(timeAgo(now - 59 * 60_000, now)).toBe('59 min ago');
    expect(timeAgo(now - 3 * 3600_000, now)).toBe('3 h ago');
    expect(timeAgo(now - 47 * 3600_000, now)).toBe('47 h ago');
    expect(timeAgo(now - 72 * 3600_000, now)).toBe('3 d ago');
  });
});

describe('duration', () => {
  it('prints milliseconds to hours', () => {
    expect(duration(0)).toBe('0 ms');
    expect(duration(850.4)).toBe('850 ms');
    expect(duration(4210)).toBe('4.2 s');
    expect(duration(42_000)).toBe('42 s');
    expect(duration(185_000)).toBe('3 min 5 s');
    expect(duration(180_000)).toBe('3 min');
    expect(duration(7_800_000)).toBe('2 h 10 min');
    expect(duration(7_200_000)).toBe('2 h');
  });
});
