import { edgeLabel, summarizeLatencies } from './latency-histogram';
import { duration } from './relative-time';

const W = 240;
const H = 64;

/** How long recent responses took (client-side legs), bucketed, with p50/p90/p99. */
export function LatencyHistogram({ latencies }: { latencies: number[] }) {
  const s = summarizeLatencies(latencies);
  const peak = s.buckets.reduce((a, b) => Math.max(a, b.count), 0);
  const barW = W / s.buckets.length;
  const scale = peak > 0 ? (H - 4) / peak : 0;
  const p = (n: number | undefined) => (n === undefined ? '–' : duration(n));
  const label =
    s.count === 0
      ? 'Latency histogram: no responses yet.'
      : `Latency histogram of the last ${s.count} responses: ` +
        s.buckets
          .filter((b) => b.count > 0)
          .map((b) => `${b.count} ${b.label}`)
          .join(', ') +
        `. p50 ${p(s.p50)}, p90 ${p(s.p90)}, p99 ${p(s.p99)}.`;
  return (
    <figure className="sessions-chart" aria-labelledby="latency-caption">
      <figcaption id="latency-caption" className="sessions-chart-caption">
        Latency <span className="muted">last {s.count.toLocaleString()} responses</span>
      </figcaption>
      <svg
        className="sessions-chart-svg"
        width={W}
        height={H + 12}
        viewBox={`0 0 ${W} ${H + 12}`}
        role="img"
        aria-label={label}
      >
        <line x1={0} y1={H - 0.5} x2={W} y2={H - 0.5} className="sessions-chart-axis" />
        {s.buckets.map((b, i) => {
          const h = Math.max(b.count > 0 ? 2 : 0, b.count * scale);
          return (
            <rect
              key={b.label}
              className="sessions-chart-bar"
              x={i * barW + 1}
              y={H - h}
              width={barW - 2}
              height={h}
            >
              <title>{`${b.count} responses ${b.label}`}</title>
            </rect>
          );
        })}
        {/* Edge labels at a few points only: every one would not fit. */}
        {[0, 3, 6, 9, 12].map((i) => (
          <text key={i} x={i * barW + 1} y={H + 10} className="sessions-chart-tick">
            {i === 0 ? '0' : edgeLabel(s.buckets[i]!.from)}
          </text>
        ))}
      </svg>
      <dl className="sessions-chart-numbers">
        <div>
          <dt>p50</dt>
          <dd data-testid="latency-p50">{p(s.p50)}</dd>
        </div>
        <div>
          <dt>p90</dt>
          <dd>{p(s.p90)}</dd>
        </div>
        <div>
          <dt>p99</dt>
          <dd>{p(s.p99)}</dd>
        </div>
      </dl>
    </figure>
  );
}
