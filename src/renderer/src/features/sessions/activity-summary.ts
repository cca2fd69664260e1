/** The engine samples client requests in 10 s buckets (ServerStatus.activity). */
export const ACTIVITY_BUCKET_S = 10;

export interface ActivitySummary {
  /** Requests per second over the newest bucket. */
  perSecond: number;
  total: number;
  peak: number;
  /** Per bucket, oldest first: its count and the span it covers ("120–110 s ago"). */
  bars: { count: number; span: string }[];
}

export function summarizeActivity(activity: readonly number[] | undefined): ActivitySummary {
  const counts = activity ?? [];
  const n = counts.length;
  return {
    perSecond: n ? counts[n - 1]! / ACTIVITY_BUCKET_S : 0,
    total: counts.reduce((a, b) => a + b, 0),
    peak: counts.reduce((a, b) => Math.max(a, b), 0),
    bars: counts.map((count, i) => {
      const end = (n - 1 - i) * ACTIVITY_BUCKET_S;
      return { count, span: end === 0 ? 'last 10 s' : `${end + ACTIVITY_BUCKET_S}–${end} s ago` };
    }),
  };
}

/** "0.3 req/s", "12 req/s": one decimal below 10. */
export function rate(perSecond: number): string {
  return `${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond)} req/s`;
}
