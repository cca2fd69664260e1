import { RpcErrorCode, errorResponse } from '../jsonrpc/errors';
import { type JsonRpcId, type JsonRpcMessage, type JsonRpcRequest } from '../jsonrpc/message';
import { PendingRequests } from './pending-requests';
import { SessionReplay } from './session-replay';
import type {
  ClientDetails,
  EngineSession,
  SendOptions,
  SessionEnd,
  SessionEndReason,
  SessionSink,
} from './session';

/** What both routing modes share: identity, client details, activity, pending requests, ending. */
export abstract class SessionBase implements EngineSession {
  abstract readonly mode: 'isolated' | 'shared';
  abstract readonly pid: number | undefined;
  readonly createdAt = Date.now();
  lastActivityAt = this.createdAt;
  requestCount = 0;
  client: ClientDetails = {};
  closed = false;
  /** Times a new process took over this session (see `replay`). */
  revivals = 0;
  /** What a new process must hear again to serve this session (initialize, log level, subscriptions). */
  readonly replay = new SessionReplay();
  /** Told once the server answered initialize (the client's details are complete then). */
  onInitialized: ((session: SessionBase) => void) | undefined;
  protected readonly pending = new PendingRequests();

  constructor(
    readonly id: string,
    protected readonly sink: SessionSink,
    private readonly onEnded: (session: SessionBase, end: SessionEnd) => void,
  ) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  /** True while `send` passes on a message of Patchbay's own (SendOptions.own). */
  protected sendingOwn = false;

  /**
   * Patchbay's own session (its sink says so), or Patchbay's own message being sent now:
   * its traffic is marked as Patchbay's.
   */
  get ownSession(): boolean {
    return this.sink.own === true || this.sendingOwn;
  }

  /** No request in flight and no stream open by the client. */
  get idle(): boolean {
    return this.pending.size === 0 && this.sink.hasOpenStream?.() !== true;
  }

  abstract send(msg: JsonRpcMessage, raw: string, opts?: SendOptions): void;
  abstract close(reason?: SessionEndReason): Promise<void>;

  /** Records what a client request tells us (activity, initialize details). */
  protected noteRequest(msg: JsonRpcRequest): void {
    this.requestCount++;
    if (msg.method !== 'initialize') return;
    const p = msg.params ?? {};
    const info = p['clientInfo'];
    if (typeof info === 'object' && info !== null) this.client.clientInfo = info;
    if (typeof p['protocolVersion'] === 'string') this.client.protocolVersion = p['protocolVersion'];
    const caps = p['capabilities'];
    if (typeof caps === 'object' && caps !== null) this.client.capabilities = caps as Record<string, unknown>;
  }

  /** Records the revision the server answered to initialize. */
  protected noteInitializeResult(result: unknown): void {
    const version = (result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    if (typeof version === 'string') this.client.protocolVersion = version;
    this.onInitialized?.(this);
  }

  /** True when the client declared a capability (`sampling`, `elicitation`, `roots`). */
  hasCapability(name: string): boolean {
    return this.client.capabilities?.[name] !== undefined;
  }

  /** Answers a client request from the proxy itself. */
  protected answer(id: JsonRpcId, result: unknown): void {
    const msg = { jsonrpc: '2.0' as const, id, result };
    this.sink.deliver(msg, JSON.stringify(msg), id);
  }

  /** Answers a client request with an error from the proxy itself. */
  protected answerError(id: JsonRpcId, code: number, message: string): void {
    const msg = errorResponse(id, code, message);
    this.sink.deliver(msg, JSON.stringify(msg), id);
  }

  /** Ends the session: every pending request is answered with an error first, at once. */
  protected end(end: SessionEnd): void {
    if (this.closed) return;
    this.closed = true;
    for (const request of this.pending.drain()) {
      this.answerError(request.id, RpcErrorCode.ConnectionClosed, end.message);
    }
    this.sink.closed(end);
    this.onEnded(this, end);
  }
}
