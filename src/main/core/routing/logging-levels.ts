/** RFC 5424 severities as MCP names them, least severe first. */
const LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;

export type LogLevel = (typeof LEVELS)[number];

/** Rank of a level name (0 = debug); -1 when unknown. */
export function levelRank(level: unknown): number {
  return LEVELS.indexOf(level as LogLevel);
}

/** The most verbose of the given levels, which the shared server must be set to. */
export function mostVerbose(levels: Iterable<string>): LogLevel | undefined {
  let best = Infinity;
  for (const level of levels) {
    const rank = levelRank(level);
    if (rank >= 0 && rank < best) best = rank;
  }
  return best === Infinity ? undefined : LEVELS[best];
}
