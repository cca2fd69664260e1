import { randomBytes } from 'node:crypto';
import { ErrorCode, PatchbayError, toPatchbayError } from '../errors';
import type { FrameTap } from '../inspect/frame-tap';
import { RpcErrorCode } from '../jsonrpc/errors';
import {
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcResponse,
  type MessageKind,
  idKey,
  progressTokenOf,
} from '../jsonrpc/message';
import { type ProcessExit, type StdioProcess, describeExit } from '../stdio/stdio-process';
import type { SendOptions, SessionEnd, SessionEndReason, SessionSink } from './session';
import { SessionBase } from './session-base';

const END_MESSAGES: Record<SessionEndReason, string> = {
  client: 'The session was closed',
  idle: 'The session expired after being idle',
  'process-exited': 'The MCP server process exited',
  'server-stopped': 'The server was stopped',
  ended: 'The session was ended from Patchbay',
  evicted: 'The session was ended to make room for a new one (sessions cap)',
};

/** Client messages held while a new process is being initialized for the session. */
export const MAX_QUEUED_DURING_REVIVAL = 256;

/** What an isolated session needs from its server's runtime to get a new process. */
export interface IsolatedHost {
  /** A process of its own for `session` (reclaiming an idle one at the cap); throws when none can be had. */
  acquire(session: IsolatedSession): Promise<StdioProcess>;
  /** Where reclaims and revivals are noted for the inspector. */
  readonly frames: FrameTap;
  /** How long a revival waits for the new process to answer initialize. */
  readonly reviveTimeoutMs: number;
  /** A process of a session is being stopped; `exited` settles once its slot is free. */
  stopping(exited: Promise<unknown>): void;
}

/**
 * Isolated mode: the session has a process of its own, so messages pass through with their
 * original bytes; the proxy only watches ids to pair responses and fail what is pending.
 * The session outlives its process: when the process is reclaimed (process cap) or crashes,
 * the session goes dormant, and its next request revives it on a new process, replaying its
 * own initialize and recorded state first (PROTOCOL.md "Sessions outlive processes").
 */
export class IsolatedSession extends SessionBase {
  readonly mode = 'isolated' as const;
  private proc: StdioProcess | undefined;
  private reviving = false;
  private queued: { msg: JsonRpcMessage; raw: string; opts: SendOptions | undefined }[] = [];
  /** Patchbay's own requests to the current process; their answers never reach the client. */
  private readonly own = new Map<
    string | number,
    { resolve: (r: JsonRpcResponse) => void; reject: (e: Error) => void }
  >();
  private readonly ownIdPrefix = `patchbay-revival-${randomBytes(6).toString('hex')}-`;
  private nextOwnId = 1;

  constructor(
    id: string,
    proc: StdioProcess,
    sink: SessionSink,
    onEnded: (session: SessionBase, end: SessionEnd) => void,
    private readonly host: IsolatedHost,
  ) {
    super(id, sink, onEnded);
    this.attach(proc);
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  override get idle(): boolean {
    return super.idle && !this.reviving;
  }

  send(msg: JsonRpcMessage, raw: string, opts?: SendOptions): void {
    const id = 'id' in msg && 'method' in msg ? msg.id : undefined;
    if (this.closed) {
      if (id !== undefined) this.answerError(id, RpcErrorCode.ConnectionClosed, 'The session is closed');
      return;
    }
    this.lastActivityAt = Date.now();
    this.replay.note(msg);
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
    if (this.proc && !this.reviving) {
      this.write(msg, raw, opts);
      return;
    }
    // Dormant: a notification or an answer has no process to go to (what it names died with
    // the old one); only a request brings the session back.
    if (!this.reviving && id === undefined) return;
    if (this.queued.length >= MAX_QUEUED_DURING_REVIVAL) {
      if (id !== undefined && this.pending.take(id)) {
        this.answerError(
          id,
          RpcErrorCode.ServerBusy,
          'Too many messages are waiting for the MCP server to restart',
        );
      }
      return;
    }
    this.queued.push({ msg, raw, opts });
    if (!this.reviving) void this.revive();
  }

  async close(reason: SessionEndReason = 'client'): Promise<void> {
    const proc = this.proc;
    this.end({ reason, message: END_MESSAGES[reason] });
    this.detach('The session was closed');
    this.queued = [];
    if (proc) await this.stopProcess(proc);
  }

  /** Stops this session's process to free its slot (process cap); the session stays, dormant. */
  reclaim(): Promise<unknown> {
    const proc = this.proc;
    if (!proc || this.closed) return Promise.resolve();
    this.detach('The process was reclaimed');
    this.host.frames.note(
      this.id,
      `Process ${proc.pid} reclaimed for another session (process cap); this session is revived on its next request`,
    );
    return this.stopProcess(proc);
  }

  private stopProcess(proc: StdioProcess): Promise<unknown> {
    const stopped = proc.stop();
    this.host.stopping(stopped);
    return stopped;
  }

  private write(msg: JsonRpcMessage, raw: string, opts?: SendOptions): void {
    try {
      this.proc!.send(raw, msg, opts);
    } catch (err) {
      const id = 'id' in msg && 'method' in msg ? msg.id : undefined;
      if (id !== undefined && this.pending.take(id)) {
        this.answerError(id, RpcErrorCode.ConnectionClosed, toPatchbayError(err).message);
      }
    }
  }

  /** A new process, the session's own initialize and state replayed, then what queued meanwhile. */
  private async revive(): Promise<void> {
    this.reviving = true;
    let proc: StdioProcess | undefined;
    try {
      proc = await this.host.acquire(this);
      if (this.closed) throw new PatchbayError(ErrorCode.NotRunning, 'The session was closed');
      this.attach(proc);
      await this.reinitialize(proc);
    } catch (err) {
      const e = toPatchbayError(err);
      if (proc) {
        if (this.proc === proc) this.detach(e.message);
        void this.stopProcess(proc);
      }
      this.reviving = false;
      const queued = this.queued;
      this.queued = [];
      if (this.closed) return;
      this.host.frames.note(this.id, `Revival failed: ${e.message}`);
      const code = e.code === ErrorCode.Full ? RpcErrorCode.ServerBusy : RpcErrorCode.ConnectionClosed;
      const message = `Could not restart the MCP server for this session: ${e.message}`;
      for (const q of queued) {
        const id = 'id' in q.msg && 'method' in q.msg ? q.msg.id : undefined;
        if (id !== undefined && this.pending.take(id)) this.answerError(id, code, message);
      }
      return;
    }
    this.revivals++;
    this.reviving = false;
    this.host.frames.note(this.id, `Session revived on process ${proc.pid} (revival ${this.revivals})`);
    const queued = this.queued;
    this.queued = [];
    for (const q of queued) {
      if (!this.proc) break; // died again while flushing: the exit answered what was pending
      this.write(q.msg, q.raw, q.opts);
    }
  }

  /** Replays initialize (waiting for its result), initialized, then the recorded state (answers swallowed). */
  private async reinitialize(proc: StdioProcess): Promise<void> {
    const init = this.replay.initializeParams;
    if (init === undefined) return; // never initialized: nothing to restore
    const result = await this.ownRequest(proc, 'initialize', init, this.host.reviveTimeoutMs);
    if (result.error) {
      throw new PatchbayError(ErrorCode.ProcessExited, `initialize failed: ${result.error.message}`);
    }
    if (this.replay.initializedSent) {
      const note = { jsonrpc: '2.0' as const, method: 'notifications/initialized' };
      proc.send(JSON.stringify(note), note, { own: true });
    }
    for (const r of this.replay.stateRequests()) {
      this.ownRequest(proc, r.method, r.params).catch(() => {}); // the process went: the revival sees it
    }
  }

  /** Sends a request of Patchbay's own; resolves with its answer (never shown to the client). */
  private ownRequest(
    proc: StdioProcess,
    method: string,
    params: Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<JsonRpcResponse> {
    const id = `${this.ownIdPrefix}${this.nextOwnId++}`;
    const key = idKey(id);
    const msg = { jsonrpc: '2.0' as const, id, method, params };
    return new Promise<JsonRpcResponse>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.own.delete(key);
      };
      const waiter = {
        resolve: (r: JsonRpcResponse) => {
          done();
          resolve(r);
        },
        reject: (e: Error) => {
          done();
          reject(e);
        },
      };
      this.own.set(key, waiter);
      if (timeoutMs !== undefined) {
        const message = `no answer to ${method} in ${timeoutMs} ms`;
        timer = setTimeout(() => waiter.reject(new PatchbayError(ErrorCode.Timeout, message)), timeoutMs);
      }
      try {
        proc.send(JSON.stringify(msg), msg, { own: true });
      } catch (err) {
        waiter.reject(toPatchbayError(err));
      }
    });
  }

  private attach(proc: StdioProcess): void {
    this.proc = proc;
    proc.sessionId = this.id;
    // A process serving Patchbay's own session is Patchbay's on every leg (as the probe's is).
    if (this.ownSession) proc.ownTraffic = true;
    proc.onMessage = (msg, raw, kind) => this.fromServer(proc, msg, raw, kind);
    proc.onExit = (exit) => this.processExited(proc, exit);
  }

  /** Lets go of the process (its later messages and exit are ignored); Patchbay's own requests fail. */
  private detach(reason: string): void {
    this.proc = undefined;
    const own = [...this.own.values()];
    for (const w of own) w.reject(new PatchbayError(ErrorCode.ProcessExited, reason));
  }

  private fromServer(proc: StdioProcess, msg: JsonRpcMessage, raw: string, kind: MessageKind): void {
    if (this.closed || this.proc !== proc) return;
    let related: JsonRpcId | undefined;
    if (kind === 'response') {
      const id = (msg as { id: JsonRpcId | null }).id;
      if (id === null) {
        related = undefined; // the server could not read something; not tied to a request
      } else {
        const own = this.own.get(idKey(id));
        if (own) {
          own.resolve(msg as JsonRpcResponse);
          return;
        }
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

  /** Requests in flight fail at once; the session stays, dormant, until its next request. */
  private processExited(proc: StdioProcess, exit: ProcessExit): void {
    if (this.proc !== proc) return; // reclaimed or replaced: not this session's concern any more
    const message = describeExit(exit);
    this.detach(message);
    if (this.closed) return;
    this.host.frames.note(
      this.id,
      `Process ${proc.pid} exited (${message}); this session is revived on its next request`,
    );
    for (const request of this.pending.drain()) {
      this.answerError(request.id, RpcErrorCode.ConnectionClosed, message);
    }
  }
}
