import type { FrameHistorySettings } from '@shared/contract';

export type AgeUnit = 'hours' | 'days';

/** The Settings form as typed: numbers stay text until Save, so a half-typed value is fine. */
export interface FrameHistoryForm {
  enabled: boolean;
  maxFrames: string;
  maxAge: string;
  unit: AgeUnit;
}

export type FrameHistoryErrors = Partial<Record<'maxFrames' | 'maxAge', string>>;

const HOUR = 3600_000;
const DAY = 24 * HOUR;
export const MAX_FRAMES_LIMIT = 10_000_000;
export const MAX_AGE_DAYS_LIMIT = 365;

/** Whole days when the age is a whole number of days, else hours. */
export function toForm(s: FrameHistorySettings): FrameHistoryForm {
  const days = s.maxAgeMs % DAY === 0;
  return {
    enabled: s.enabled,
    maxFrames: String(s.maxFrames),
    maxAge: String(days ? s.maxAgeMs / DAY : Math.max(1, Math.round(s.maxAgeMs / HOUR))),
    unit: days ? 'days' : 'hours',
  };
}

/** The settings to save, or what is wrong with each field, said plainly. */
export function fromForm(
  f: FrameHistoryForm,
): { ok: true; value: FrameHistorySettings } | { ok: false; errors: FrameHistoryErrors } {
  const errors: FrameHistoryErrors = {};
  const maxFrames = wholeNumber(f.maxFrames);
  if (maxFrames === undefined || maxFrames < 1 || maxFrames > MAX_FRAMES_LIMIT) {
    errors.maxFrames = `Give a whole number of frames from 1 to ${MAX_FRAMES_LIMIT.toLocaleString('en')}`;
  }
  const age = wholeNumber(f.maxAge);
  const limit = f.unit === 'days' ? MAX_AGE_DAYS_LIMIT : MAX_AGE_DAYS_LIMIT * 24;
  if (age === undefined || age < 1 || age > limit) {
    errors.maxAge = `Give a whole number of ${f.unit} from 1 to ${limit.toLocaleString('en')}`;
  }
  if (maxFrames === undefined || age === undefined || errors.maxFrames || errors.maxAge) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: { enabled: f.enabled, maxFrames, maxAgeMs: age * (f.unit === 'days' ? DAY : HOUR) },
  };
}

function wholeNumber(text: string): number | undefined {
  const t = text.trim().replace(/[,_\s]/g, '');
  return /^\d+$/.test(t) ? Number(t) : undefined;
}
