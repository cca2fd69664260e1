/** When and how fast a crashed server is started again. */
export interface RestartPolicy {
  enabled: boolean;
  initialDelayMs: number;
  maxDelayMs: number;
  /** A process that ran this long before crashing resets the backoff to the start. */
  stableAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  enabled: true,
  initialDelayMs: 1000,
  maxDelayMs: 60_000,
  stableAfterMs: 60_000,
};

/** Exponential backoff: initial, 2×, 4×, … capped at maxDelayMs. `attempt` counts from 0. */
export function restartDelay(policy: RestartPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt, 30));
}
