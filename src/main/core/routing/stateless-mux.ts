import { toPatchbayError } from '../errors';
import { RpcErrorCode, errorResponse } from '../jsonrpc/errors';
import {
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
  type MessageKind,
  progressTokenOf,
} from '../jsonrpc/message';
import { type ProcessExit, type StdioProcess, describeExit } from '../stdio/stdio-process';

const SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId';

/** Where one stateless request's messages go (the HTTP layer's POST stream). */
export interface CallSink {
  deliver(msg: JsonRpcMessage, raw: string): void;
  /** No more messages will come: the response was delivered, or the listen ended. */
  end(): void;
}

/** A stateless request in flight; cancel() when the client's stream closes. */
export interface StatelessCall {
  readonly proxyId: number;
  cancel(reason?: string): void;
}

interface Call extends StatelessCall {
  sink: CallSink;
  originalId: JsonRpcId;
  originalToken: JsonRpcId | undefined;
  listen: boolean;
  done: boolean;
}

/**
 * 2026-07-28 stateless requests over one process that only ever sees enveloped
 * traffic: ids (and progress tokens, and listen subscription ids) are rewritten to
 * proxy numbers so concurrent clients cannot collide, and restored on the way back.
 */
export class StatelessMux {
  private proc: StdioProcess | undefined;
  private nextId = 1;
  private readonly calls = new Map<number, Call>();

  attachProcess(proc: StdioProcess): void {
    this.proc = proc;
    proc.onMessage = (msg, raw, kind) => this.fromServer(msg, raw, kind);
    proc.onExit = (exit) => this.processExited(proc, exit);
  }

  get inflight(): number {
    return this.calls.size;
  }

  /** Sends one stateless request; its answer (and progress, or listen notifications) go to `sink`. */
  call(msg: JsonRpcRequest, sink: CallSink): StatelessCall {
    const proxyId = this.nextId++;
    const token = progressTokenOf(msg);
    const params = { ...msg.params };
    if (token !== undefined) params['_meta'] = { ...(params['_meta'] as object), progressToken: proxyId };
    const call: Call = {
      proxyId,
      sink,
      originalId: msg.id,
      originalToken: token,
      listen: msg.method === 'subscriptions/listen',
      done: false,
      cancel: (reason) => this.cancel(call, reason),
    };
    this.calls.set(proxyId, call);
    try {
      if (!this.proc) throw new Error('The MCP server process is not running');
      this.proc.send(JSON.stringify({ jsonrpc: '2.0', id: proxyId, method: msg.method, params }));
    } catch (err) {
      this.finish(call, errorResponse(msg.id, RpcErrorCode.ConnectionClosed, toPatchbayError(err).message));
    }
    return call;
  }

  private cancel(call: Call, reason = 'The client closed the request stream'): void {
    if (call.done) return;
    call.done = true;
    this.calls.delete(call.proxyId);
    try {
      this.proc?.send(
        JSON.stringify({
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId: call.proxyId, reason },
        }),
      );
    } catch {
      // The process is gone; nothing is left to cancel.
    }
    call.sink.end();
  }

  private fromServer(msg: JsonRpcMessage, raw: string, kind: MessageKind): void {
    if (kind === 'response') {
      const res = msg as JsonRpcResponse;
      const call = typeof res.id === 'number' ? this.calls.get(res.id) : undefined;
      if (call) this.finish(call, restoreMeta({ ...res, id: call.originalId }, call));
      return;
    }
    if (kind !== 'notification') return; // 2026-07-28 has no server→client requests (MRTR)
    const note = msg as JsonRpcNotification;
    const params = note.params ?? {};
    if (note.method === 'notifications/progress') {
      const token = params['progressToken'];
      const call = typeof token === 'number' ? this.calls.get(token) : undefined;
      if (call?.originalToken === undefined) return;
      call.sink.deliver({ ...note, params: { ...params, progressToken: call.originalToken } }, '');
      return;
    }
    const subscription = (params['_meta'] as Record<string, unknown> | undefined)?.[SUBSCRIPTION_ID];
    const call = typeof subscription === 'number' ? this.calls.get(subscription) : undefined;
    if (call === undefined) return;
    if (note.method === 'notifications/cancelled') {
      // The server ended the listen stream.
      this.calls.delete(call.proxyId);
      call.done = true;
      call.sink.end();
      return;
    }
    call.sink.deliver(restoreMeta(note, call), '');
  }

  private finish(call: Call, out: JsonRpcMessage): void {
    if (call.done) return;
    call.done = true;
    this.calls.delete(call.proxyId);
    call.sink.deliver(out, '');
    call.sink.end();
  }

  private processExited(proc: StdioProcess, exit: ProcessExit): void {
    if (this.proc !== proc) return;
    this.proc = undefined;
    const message = describeExit(exit);
    for (const call of [...this.calls.values()]) {
      this.finish(call, errorResponse(call.originalId, RpcErrorCode.ConnectionClosed, message));
    }
  }
}

/** Puts the client's listen id back into `_meta.subscriptionId` where the server used ours. */
function restoreMeta<T extends JsonRpcMessage>(msg: T, call: Call): T {
  const params = (msg as { params?: Record<string, unknown> }).params;
  const result = (msg as { result?: Record<string, unknown> }).result;
  const holder = params ?? result;
  const meta = holder?.['_meta'] as Record<string, unknown> | undefined;
  if (!call.listen || meta?.[SUBSCRIPTION_ID] === undefined) return msg;
  const fixed = { ...holder, _meta: { ...meta, [SUBSCRIPTION_ID]: call.originalId } };
  return params ? { ...msg, params: fixed } : { ...msg, result: fixed };
}
