import { activityLabel, sparklinePath } from './sparkline';

const WIDTH = 44;
const HEIGHT = 14;

/** A server's requests over the last 2 minutes, as a tiny line with a spoken label. */
export function Sparkline({ values }: { values: readonly number[] }) {
  const label = activityLabel(values);
  return (
    <svg
      className={values.some((v) => v > 0) ? 'sparkline' : 'sparkline idle'}
      role="img"
      aria-label={label}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
    >
      <title>{label}</title>
      <path d={sparklinePath(values, WIDTH, HEIGHT)} />
    </svg>
  );
}
