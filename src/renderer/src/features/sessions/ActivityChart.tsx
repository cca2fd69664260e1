import { rate, summarizeActivity } from './activity-summary';

const W = 240;
const H = 64;

/** Client requests per 10 s over the last 2 minutes, as bars, with the numbers beside them. */
export function ActivityChart({ activity }: { activity: number[] | undefined }) {
  const s = summarizeActivity(activity);
  const barW = s.bars.length ? W / s.bars.length : W;
  const scale = s.peak > 0 ? (H - 4) / s.peak : 0;
  const label =
    s.bars.length === 0
      ? 'Requests: none, the server is not running.'
      : `Requests per 10 seconds over the last 2 minutes, oldest first: ${s.bars.map((b) => b.count).join(', ')}. ` +
        `Now ${rate(s.perSecond)}, ${s.total} in total, peak ${s.peak}.`;
  return (
    <figure className="sessions-chart" aria-labelledby="activity-caption">
      <figcaption id="activity-caption" className="sessions-chart-caption">
        Requests <span className="muted">per 10 s, last 2 min</span>
      </figcaption>
      <svg
        className="sessions-chart-svg"
        width={W}
        height={H}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={label}
      >
        <line x1={0} y1={H - 0.5} x2={W} y2={H - 0.5} className="sessions-chart-axis" />
        {s.bars.map((b, i) => {
          const h = Math.max(b.count > 0 ? 2 : 0, b.count * scale);
          return (
            <rect
              key={i}
              className="sessions-chart-bar"
              x={i * barW + 1}
              y={H - h}
              width={Math.max(1, barW - 2)}
              height={h}
            >
              <title>{`${b.count} requests, ${b.span}`}</title>
            </rect>
          );
        })}
      </svg>
      <dl className="sessions-chart-numbers">
        <div>
          <dt>now</dt>
          <dd data-testid="activity-rate">{rate(s.perSecond)}</dd>
        </div>
        <div>
          <dt>2 min</dt>
          <dd>{s.total.toLocaleString()}</dd>
        </div>
        <div>
          <dt>peak / 10 s</dt>
          <dd>{s.peak.toLocaleString()}</dd>
        </div>
      </dl>
    </figure>
  );
}
