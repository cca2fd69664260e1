import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/message';
import type { ProcessExit } from '../stdio/stdio-process';

/** Where a session's messages for the client go (the HTTP layer implements it). */
export interface SessionSink {
  /**
   * A message for the client. `relatedRequestId` is the client request it belongs to:
   * the response itself, its progress, or anything the server sent while that request
   * was the session's only one in flight. Undefined: not tied to a request (GET stream).
   */
  deliver(msg: JsonRpcMessage, raw: string, relatedRequestId: JsonRpcId | undefined): void;
  /** The session is over; the client must re-initialize. */
  closed(reason: SessionEnd): void;
  /**
   * True while the client holds a stream open on this session (GET stream, legacy SSE
   * stream, unfinished POST stream): such a session is never reclaimed or evicted.
   */
  hasOpenStream?(): boolean;
  /** Patchbay's own session (the Tools tab): all its traffic is marked `by: 'patchbay'`. */
  readonly own?: boolean;
}

/** `ended`: the user ended it from Patchbay; `evicted`: made room at the sessions cap. */
export type SessionEndReason = 'client' | 'idle' | 'process-exited' | 'server-stopped' | 'ended' | 'evicted';

export interface SessionEnd {
  reason: SessionEndReason;
  message: string;
  exit?: ProcessExit;
}

/** What the engine knows of a connected client, from its initialize request. */
export interface ClientDetails {
  clientInfo?: { name?: string; version?: string };
  /** The revision the client asked for, then the one the server answered. */
  protocolVersion?: string;
  capabilities?: Record<string, unknown>;
}

/** How a message is sent on a session, beyond what it is. */
export interface SendOptions {
  /**
   * A message of Patchbay's own on a client's session (the bridge's initialize and
   * subscriptions): its frames are marked `by: 'patchbay'`, as an own session's are.
   */
  own?: boolean;
}

/** One client session on a server, whatever the routing mode. */
export interface EngineSession {
  readonly id: string;
  readonly mode: 'isolated' | 'shared';
  readonly createdAt: number;
  readonly lastActivityAt: number;
  readonly client: ClientDetails;
  readonly requestCount: number;
  readonly pendingCount: number;
  readonly closed: boolean;
  /** The pid of the process serving this session; undefined while it has none (dormant). */
  readonly pid: number | undefined;
  /** Times a new process took over this session after its own was reclaimed or crashed. */
  readonly revivals: number;
  /** No request in flight and no open stream: the session may be evicted (or its process reclaimed). */
  readonly idle: boolean;
  /** A message from the client; requests always get exactly one answer through the sink. */
  send(msg: JsonRpcMessage, raw: string, opts?: SendOptions): void;
  /** Ends the session and releases what it holds. */
  close(reason?: SessionEndReason): Promise<void>;
}
