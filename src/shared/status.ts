import type { ErrorCode } from './error-codes';

/** How a server process ended. */
export interface ProcessExit {
  pid: number;
  code: number | null;
  signal: string | null;
  /** True when we asked it to stop; false for a crash or an unexpected exit. */
  requested: boolean;
  /** The last stderr lines it wrote, for the crash reason shown to the user. */
  stderrTail: string[];
  at: number;
}

export type RunStatus = 'stopped' | 'starting' | 'running' | 'stopping' | 'crashed';

/** A server's lifecycle state, as the UI shows it. */
export interface ServerState {
  status: RunStatus;
  since: number;
  reason?: string;
  exit?: ProcessExit;
  /** Crashed with restarts on: when the next start is due (epoch ms). */
  restartAt?: number;
  attempt?: number;
  /**
   * Crashed again within the stable window while restarting, and not stable since: the window
   * says "crashing" (not "running") through the restarts until a process stays up.
   */
  unstable?: boolean;
}

/** One line a server wrote to stderr. */
export interface StderrEntry {
  seq: number;
  ts: number;
  pid: number;
  text: string;
  /** Set on Patchbay's own lines (spawn, exit, restart, probe, reclaim, revival): not the server's stderr. */
  by?: 'patchbay';
}

/** A connected client, as the Sessions tab lists it. */
export interface SessionInfo {
  id: string;
  clientInfo?: { name?: string; version?: string };
  protocolVersion?: string;
  since: number;
  lastActivityAt: number;
  requests: number;
  pending: number;
  /** Times a new process took over the session after its own was reclaimed or crashed. */
  revivals: number;
}

/** Everything the UI shows about a server's run. */
export interface ServerStatus {
  id: string;
  state: ServerState;
  url?: string;
  sseUrl?: string;
  sessions: SessionInfo[];
  /** While running: client requests per 10 s over the last 2 minutes, oldest first. */
  activity?: number[];
  /** Why the last start failed (e.g. the port is taken). */
  error?: { code: ErrorCode; message: string };
}
