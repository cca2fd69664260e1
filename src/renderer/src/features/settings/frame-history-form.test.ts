import { describe, expect, it } from 'vitest';
import { fromForm, toForm } from './frame-history-form';

const DAY = 24 * 3600_000;

describe('frame history form', () => {
  it('shows whole days as days, anything else as hours', () => {
    expect(toForm({ enabled: true, maxFrames: 100_000, maxAgeMs: 7 * DAY })).toEqual({
      enabled: true,
      maxFrames: '100000',
      maxAge: '7',
      unit: 'days',
    });
    expect(toForm({ enabled: false, maxFrames: 10, maxAgeMs: 36 * 3600_000 })).toMatchObject({
      maxAge: '36',
      unit: 'hours',
    });
  });

  it('round-trips', () => {
    const s = { enabled: true, maxFrames: 5000, maxAgeMs: 12 * 3600_000 };
    expect(fromForm(toForm(s))).toEqual({ ok: true, value: s });
  });

  it('reads thousands separators', () => {
    const r = fromForm({ enabled: true, maxFrames: '1,000,000', maxAge: '2', unit: 'days' });
    expect(r).toEqual({ ok: true, value: { enabled: true, maxFrames: 1_000_000, maxAgeMs: 2 * DAY } });
  });

  it('says what is wrong with each field', () => {
    const r = fromForm({ enabled: true, maxFrames: 'lots', maxAge: '0', unit: 'hours' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.maxFrames).toMatch(/whole number of frames/);
    expect(r.errors.maxAge).toMatch(/whole number of hours from 1/);
    const tooOld = fromForm({ enabled: true, maxFrames: '10', maxAge: '400', unit: 'days' });
    expect(tooOld.ok).toBe(false);
    const fraction = fromForm({ enabled: true, maxFrames: '10.5', maxAge: '1', unit: 'days' });
    expect(fraction.ok).toBe(false);
  });
});
