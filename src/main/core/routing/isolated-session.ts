import { toPatchbayError } from '../errors';
import { RpcErrorCode } from '../jsonrpc/errors';
import { type JsonRpcId, type JsonRpcMessage, type MessageKind, progressTokenOf } from '../jsonrpc/message';
import { type ProcessExit, type StdioProcess, describeExit } from '../stdio/stdio-process';
import type { SessionEnd, SessionEndReason, SessionSink } from './session';
import { SessionBase } from './session-base';

const END_MESSAGES: Record<SessionEndReason, string> = {
  client: 'The session was closed',
  idle: 'The session expired after being idle',
  'process-exited': 'The MCP server process exited',
  'server-stopped': 'The server was stopped',
  ended: 'The session was ended from Patchbay',
};

/**
 * Isolated mode: the session owns its process, so messages pass through with their
 * original bytes; the proxy only watches ids to pair responses and fail what is pending.
 */
export class IsolatedSession extends SessionBase {
  readonly mode = 'isolated' as const;

  constructor(
    id: string,
    private readonly proc: StdioProcess,
    sink: SessionSink,
    onEnded: (session: SessionBase, end: SessionEnd) => void,
  ) {
    super(id, sink, onEnded);
    proc.sessionId = id;
    proc.onMessage = (msg, raw, kind) => this.fromServer(msg, raw, kind);
    proc.onExit = (exit) => this.processExited(exit);
  }

  get pid(): number {
    return this.proc.pid;
  }

  send(msg: JsonRpcMessage, raw: string): void {
    const id = 'id' in msg && 'method' in msg ? msg.id : undefined;
    if (this.closed) {
      if (id !== undefined) this.answerError(id, RpcErrorCode.ConnectionClosed, 'The session is closed');
      return;
    }
    this.lastActivityAt = Date.now();
    if ('method' in msg) {
      if (id !== undefined && 'id' in msg) {
        this.noteRequest(msg);
        this.pending.add(id, msg.method, progressTokenOf(msg));
      } else if (msg.method === 'notifications/cancelled') {
        // The client gave up on it: it will get no answer, so it is no longer pending.
        const rid = msg.params?.['requestId'];
        if (typeof rid === 'string' || typeof rid === 'number') this.pending.take(rid);
      }
    }
    try {
      this.proc.send(raw, msg);
    } catch (err) {
      if (id !== undefined && this.pending.take(id)) {
        this.answerError(id, RpcErrorCode.ConnectionClosed, toPatchbayError(err).message);
      }
    }
  }

  async close(reason: SessionEndReason = 'client'): Promise<void> {
    this.end({ reason, message: END_MESSAGES[reason] });
    await this.proc.stop();
  }

  private fromServer(msg: JsonRpcMessage, raw: string, kind: MessageKind): void {
    if (this.closed) return;
    let related: JsonRpcId | undefined;
    if (kind === 'response') {
      const id = (msg as { id: JsonRpcId | null }).id;
      if (id === null) {
        related = undefined; // the server could not read something; not tied to a request
      } else {
        const request = this.pending.take(id);
        if (request === undefined) return; // answered after cancel, or never asked: nobody waits
        if (request.method === 'initialize') this.noteInitializeResult((msg as { result?: unknown }).result);
        related = id;
      }
    } else if (kind === 'notification' && (msg as { method: string }).method === 'notifications/progress') {
      const token = (msg as { params?: { progressToken?: unknown } }).params?.progressToken;
      const request =
        typeof token === 'string' || typeof token === 'number'
          ? this.pending.byProgressToken(token)
          : undefined;
      related = request?.id;
    } else {
      related = this.pending.soleId();
    }
    this.sink.deliver(msg, raw, related);
  }

  private processExited(exit: ProcessExit): void {
    if (exit.requested && this.closed) return;
    this.end({ reason: 'process-exited', message: describeExit(exit), exit });
  }
}
