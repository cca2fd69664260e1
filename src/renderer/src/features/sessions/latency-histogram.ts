/** Bucket edges in ms: roughly logarithmic (1-2-5), so 3 ms and 3 s both read well. */
export const LATENCY_EDGES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000] as const;

export interface LatencyBucket {
  /** Inclusive lower bound, ms. */
  from: number;
  /** Exclusive upper bound, ms; undefined for the last, open bucket. */
  to: number | undefined;
  label: string;
  count: number;
}

export interface LatencySummary {
  buckets: LatencyBucket[];
  count: number;
  p50: number | undefined;
  p90: number | undefined;
  p99: number | undefined;
  max: number | undefined;
}

/** An edge as the axis prints it: "5 ms", "2 s". */
export const edgeLabel = (n: number) => (n >= 1000 ? `${n / 1000} s` : `${n} ms`);

/** Counts latencies into the buckets above and reads the percentiles (nearest rank). */
export function summarizeLatencies(latencies: readonly number[]): LatencySummary {
  const buckets: LatencyBucket[] = [];
  let from = 0;
  for (const to of LATENCY_EDGES) {
    buckets.push({ from, to, label: `<${edgeLabel(to)}`, count: 0 });
    from = to;
  }
  buckets.push({ from, to: undefined, label: `≥${edgeLabel(from)}`, count: 0 });
  const valid = latencies.filter((n) => Number.isFinite(n) && n >= 0);
  for (const n of valid) {
    const i = LATENCY_EDGES.findIndex((edge) => n < edge);
    buckets[i === -1 ? buckets.length - 1 : i]!.count++;
  }
  const sorted = [...valid].sort((a, b) => a - b);
  return {
    buckets,
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

/** Nearest-rank percentile of an ascending list: the smallest value with p% at or below it. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}
