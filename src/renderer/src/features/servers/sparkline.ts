/** The activity sparkline: requests per 10 s bucket over the last 2 minutes, oldest first. */

export const BUCKET_SECONDS = 10;

/** An SVG path through the buckets, scaled to the box; a flat line along the bottom when idle. */
export function sparklinePath(values: readonly number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const max = Math.max(1, ...values);
  // Half a pixel of margin so a 1 px stroke at the top or bottom is not clipped.
  const top = 0.5;
  const span = height - 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const x = values.length > 1 ? i * step : width / 2;
      const y = top + span - (Math.max(0, v) / max) * span;
      return `${i === 0 ? 'M' : 'L'}${round(x)} ${round(y)}`;
    })
    .join(' ');
}

const round = (n: number) => Math.round(n * 10) / 10;

/** "14 requests in the last 2 minutes", for screen readers and the hover text. */
export function activityLabel(values: readonly number[]): string {
  const total = values.reduce((a, b) => a + b, 0);
  const seconds = values.length * BUCKET_SECONDS;
  const span =
    seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} seconds`;
  return `${total} request${total === 1 ? '' : 's'} in the last ${span}`;
}
