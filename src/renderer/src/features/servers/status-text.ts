import type { RunStatus, ServerStatus } from '@shared/status';

/** What the sidebar and header say about a server's run, as plain functions of its status. */

export type PendingAction = 'start' | 'stop' | 'restart';

export function runStatus(status: ServerStatus | undefined): RunStatus {
  return status?.state.status ?? 'stopped';
}

/**
 * The state the sidebar, header and palette show: "crashing" while the engine says the server
 * cannot stay up (crashed again within the stable window), whatever its retry is doing now,
 * so the dot never flashes green between crashes.
 */
export function shownStatus(status: ServerStatus | undefined): RunStatus | 'crashing' {
  const s = runStatus(status);
  return status?.state.unstable && s !== 'stopped' && s !== 'stopping' ? 'crashing' : s;
}

/** The one Start/Stop button: what it will do, or what it is doing. */
export function primaryAction(
  status: ServerStatus | undefined,
  pending: PendingAction | undefined,
): { label: string; action: 'start' | 'stop' | undefined } {
  const s = runStatus(status);
  if (pending === 'start' || pending === 'restart' || s === 'starting')
    return { label: 'Starting…', action: undefined };
  if (pending === 'stop' || s === 'stopping') return { label: 'Stopping…', action: undefined };
  // A crashed server keeps its port while it waits to restart: stopping is what is left to do.
  if (status?.url !== undefined) return { label: 'Stop', action: 'stop' };
  return { label: 'Start', action: 'start' };
}

/** "restarting in 3 s", "restarting now", or undefined when no restart is due. */
export function restartCountdown(restartAt: number | undefined, now: number): string | undefined {
  if (restartAt === undefined) return undefined;
  const s = Math.ceil((restartAt - now) / 1000);
  return s <= 0 ? 'restarting now' : `restarting in ${s} s`;
}

/** The crash reason with the countdown, for the sidebar's hover text and the header. */
export function crashSummary(status: ServerStatus | undefined, now: number): string | undefined {
  if (status?.state.status !== 'crashed') return undefined;
  const reason = status.state.reason ?? 'The server exited unexpectedly';
  const countdown = restartCountdown(status.state.restartAt, now);
  return countdown ? `${reason} — ${countdown}` : `${reason} — restarts are off`;
}

export function sessionsText(n: number): string {
  return `${n} session${n === 1 ? '' : 's'}`;
}

/** "just now", "12 s ago", "4 min ago", "3 h ago", "2 d ago". */
export function agoText(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** When any client last did something on this server, if one is connected. */
export function lastActivityAt(status: ServerStatus | undefined): number | undefined {
  let last: number | undefined;
  for (const s of status?.sessions ?? [])
    if (last === undefined || s.lastActivityAt > last) last = s.lastActivityAt;
  return last;
}
