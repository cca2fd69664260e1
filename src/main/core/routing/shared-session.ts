import { type JsonRpcId, type JsonRpcMessage, type JsonRpcRequest, idKey } from '../jsonrpc/message';
import type { SendOptions, SessionEnd, SessionEndReason, SessionSink } from './session';
import { SessionBase } from './session-base';
import type { SharedMux } from './shared-mux';

/** A client session multiplexed onto the one shared process; the routing lives in SharedMux. */
export class SharedSession extends SessionBase {
  readonly mode = 'shared' as const;
  /** Client request id (keyed) → the proxy id it was forwarded under. */
  readonly proxyIds = new Map<string | number, number>();
  /** Resource URIs this session subscribed to. */
  readonly subscriptions = new Set<string>();
  logLevel: string | undefined;

  constructor(
    id: string,
    private readonly mux: SharedMux,
    sink: SessionSink,
    onEnded: (session: SessionBase, end: SessionEnd) => void,
  ) {
    super(id, sink, onEnded);
  }

  get pid(): number | undefined {
    return this.mux.pid;
  }

  /** A request of this session is at the server now (held or locally answered ones do not count). */
  get busy(): boolean {
    return this.proxyIds.size > 0;
  }

  send(msg: JsonRpcMessage, raw: string, opts?: SendOptions): void {
    if (opts?.own !== true) return this.mux.fromClient(this, msg, raw);
    // The mux marks what it writes for this session by `ownSession`, read as it writes (a
    // message held while the process restarts is written later, unmarked).
    this.sendingOwn = true;
    try {
      this.mux.fromClient(this, msg, raw);
    } finally {
      this.sendingOwn = false;
    }
  }

  close(reason: SessionEndReason = 'client'): Promise<void> {
    if (!this.closed) {
      this.mux.detach(this);
      this.finish({
        reason,
        message:
          reason === 'idle'
            ? 'The session expired after being idle'
            : reason === 'ended'
              ? 'The session was ended from Patchbay'
              : 'The session was closed',
      });
    }
    return Promise.resolve();
  }

  // ---- the mux's side of routing ----

  /** Records client activity and what a request says about the client. */
  touch(msg: JsonRpcMessage): void {
    this.lastActivityAt = Date.now();
    if ('method' in msg && 'id' in msg) this.noteRequest(msg);
  }

  deliver(msg: JsonRpcMessage, raw: string, related: JsonRpcId | undefined): void {
    if (!this.closed) this.sink.deliver(msg, raw, related);
  }

  track(msg: JsonRpcRequest, proxyId: number | undefined, progressToken: JsonRpcId | undefined): void {
    this.pending.add(msg.id, msg.method, progressToken);
    if (proxyId !== undefined) this.proxyIds.set(idKey(msg.id), proxyId);
  }

  untrack(id: JsonRpcId): boolean {
    this.proxyIds.delete(idKey(id));
    return this.pending.take(id) !== undefined;
  }

  proxyIdOf(id: JsonRpcId): number | undefined {
    return this.proxyIds.get(idKey(id));
  }

  soleRequestId(): JsonRpcId | undefined {
    return this.pending.soleId();
  }

  /** The shared process was restarted and re-initialized under this session. */
  revived(): void {
    this.revivals++;
  }

  initialized(result: unknown): void {
    this.noteInitializeResult(result);
  }

  reply(id: JsonRpcId, result: unknown): void {
    this.answer(id, result);
  }

  replyError(id: JsonRpcId, code: number, message: string): void {
    this.answerError(id, code, message);
  }

  finish(end: SessionEnd): void {
    this.proxyIds.clear();
    this.end(end);
  }
}
