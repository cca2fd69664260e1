import { toPatchbayError } from '../errors';
import { RpcErrorCode, errorResponse } from '../jsonrpc/errors';
import {
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
  type MessageKind,
  idKey,
  progressTokenOf,
} from '../jsonrpc/message';
import { type ProcessExit, type StdioProcess, describeExit } from '../stdio/stdio-process';
import { levelRank, mostVerbose } from './logging-levels';
import type { SharedSession } from './shared-session';

/** A request forwarded under a proxy id; `session` undefined for the proxy's own requests. */
interface Inflight {
  session: SharedSession | undefined;
  originalId: JsonRpcId;
  method: string;
  originalToken: JsonRpcId | undefined;
  /** For resources/subscribe: the URI, to undo the subscription if the server refuses. */
  uri?: string;
}

type InitState =
  | { state: 'none' }
  | { state: 'pending'; waiters: { session: SharedSession; id: JsonRpcId }[] }
  | { state: 'done'; result: unknown };

/** Which client capability a server→client request needs. */
const CAPABILITY_FOR: Record<string, string | undefined> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

/**
 * Shared mode: many sessions over one process. Request ids are rewritten to proxy
 * numbers and restored exactly on the way back; initialize is forwarded once and
 * answered from cache; progress, cancellation, subscriptions, log levels and
 * server→client requests are routed per PROTOCOL.md "Many sessions, one server".
 */
export class SharedMux {
  private proc: StdioProcess | undefined;
  private nextId = 1;
  private readonly inflight = new Map<number, Inflight>();
  private readonly sessions = new Set<SharedSession>();
  private init: InitState = { state: 'none' };
  private initializedSent = false;
  private readonly subscribers = new Map<string, Set<SharedSession>>();
  /** Server→client requests waiting for a client's answer, by the server's id. */
  private readonly serverRequests = new Map<string | number, SharedSession>();

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Takes a freshly started process; everything known about the previous one is gone. */
  attachProcess(proc: StdioProcess): void {
    this.proc = proc;
    this.init = { state: 'none' };
    this.initializedSent = false;
    proc.onMessage = (msg, raw, kind) => this.fromServer(msg, raw, kind);
    proc.onExit = (exit) => this.processExited(proc, exit);
  }

  add(session: SharedSession): void {
    this.sessions.add(session);
  }

  // ---------------------------------------------------------------- client → server

  /** Routes one message from a session's client. */
  fromClient(session: SharedSession, msg: JsonRpcMessage, raw: string): void {
    if (session.closed) {
      if ('method' in msg && 'id' in msg)
        session.replyError(msg.id, RpcErrorCode.ConnectionClosed, 'The session is closed');
      return;
    }
    session.touch(msg);
    if ('method' in msg) {
      if ('id' in msg) this.clientRequest(session, msg);
      else this.clientNotification(session, msg, raw);
    } else {
      this.clientResponse(session, msg, raw);
    }
  }

  private clientRequest(session: SharedSession, msg: JsonRpcRequest): void {
    const params = msg.params ?? {};
    switch (msg.method) {
      case 'initialize':
        if (this.init.state === 'done') {
          session.initialized(this.init.result);
          session.reply(msg.id, this.init.result);
        } else if (this.init.state === 'pending') {
          session.track(msg, undefined, undefined);
          this.init.waiters.push({ session, id: msg.id });
        } else {
          this.init = { state: 'pending', waiters: [] };
          this.forward(session, msg);
        }
        return;
      case 'resources/subscribe': {
        const uri = String(params['uri']);
        const subs = this.subscribers.get(uri);
        session.subscriptions.add(uri);
        if (subs && subs.size > 0) {
          subs.add(session);
          session.reply(msg.id, {});
        } else {
          this.subscribers.set(uri, new Set([session]));
          const entry = this.forward(session, msg);
          if (entry) entry.uri = uri;
        }
        return;
      }
      case 'resources/unsubscribe': {
        const uri = String(params['uri']);
        const subs = this.subscribers.get(uri);
        session.subscriptions.delete(uri);
        if (!subs?.delete(session) || subs.size > 0) {
          session.reply(msg.id, {});
          return;
        }
        this.subscribers.delete(uri);
        this.forward(session, msg);
        return;
      }
      case 'logging/setLevel': {
        session.logLevel = String(params['level']);
        // The one process logs at the most verbose level any session wants; each
        // session then gets only what its own level lets through.
        const level = mostVerbose(this.levels()) ?? session.logLevel;
        this.forward(session, msg, { ...params, level });
        return;
      }
      default:
        this.forward(session, msg);
    }
  }

  private clientNotification(session: SharedSession, msg: JsonRpcNotification, raw: string): void {
    if (msg.method === 'notifications/initialized') {
      if (this.initializedSent) return;
      this.initializedSent = true;
    } else if (msg.method === 'notifications/cancelled') {
      const rid = msg.params?.['requestId'];
      if (typeof rid !== 'string' && typeof rid !== 'number') return;
      const proxyId = session.proxyIdOf(rid);
      session.untrack(rid);
      if (proxyId === undefined) return;
      this.inflight.delete(proxyId);
      raw = JSON.stringify({ ...msg, params: { ...msg.params, requestId: proxyId } });
    }
    this.write(raw);
  }

  private clientResponse(session: SharedSession, msg: JsonRpcResponse, raw: string): void {
    if (msg.id === null) return;
    const key = idKey(msg.id);
    // Only the session we asked may answer, and only once.
    if (this.serverRequests.get(key) !== session) return;
    this.serverRequests.delete(key);
    this.write(raw);
  }

  /** Forwards a request under a fresh proxy id (and proxy progress token). */
  private forward(
    session: SharedSession | undefined,
    msg: JsonRpcRequest,
    params = msg.params,
  ): Inflight | undefined {
    const proxyId = this.nextId++;
    const token = progressTokenOf(msg);
    let outParams = params;
    if (token !== undefined && params) {
      outParams = { ...params, _meta: { ...(params['_meta'] as object), progressToken: proxyId } };
    }
    const entry: Inflight = { session, originalId: msg.id, method: msg.method, originalToken: token };
    this.inflight.set(proxyId, entry);
    session?.track(msg, proxyId, token);
    const out: JsonRpcRequest = { jsonrpc: '2.0', id: proxyId, method: msg.method };
    if (outParams !== undefined) out.params = outParams;
    try {
      this.send(JSON.stringify(out), out);
      return entry;
    } catch (err) {
      this.inflight.delete(proxyId);
      if (session?.untrack(msg.id)) {
        session.replyError(msg.id, RpcErrorCode.ConnectionClosed, toPatchbayError(err).message);
      }
      if (msg.method === 'initialize') this.init = { state: 'none' };
      return undefined;
    }
  }

  // ---------------------------------------------------------------- server → client

  private fromServer(msg: JsonRpcMessage, raw: string, kind: MessageKind): void {
    if (kind === 'response') this.serverResponse(msg as JsonRpcResponse);
    else if (kind === 'notification') this.serverNotification(msg as JsonRpcNotification, raw);
    else this.serverRequest(msg as JsonRpcRequest, raw);
  }

  private serverResponse(msg: JsonRpcResponse): void {
    if (typeof msg.id !== 'number') return; // not one of our proxy ids
    const entry = this.inflight.get(msg.id);
    if (entry === undefined) return; // cancelled, or its session is gone
    this.inflight.delete(msg.id);
    if (entry.method === 'initialize') this.initializeAnswered(msg);
    const session = entry.session;
    if (session === undefined || !session.untrack(entry.originalId)) return;
    if (entry.method === 'initialize' && msg.error === undefined) session.initialized(msg.result);
    if (entry.method === 'resources/subscribe' && msg.error !== undefined) {
      // The server refused: forget the subscription we optimistically recorded.
      if (entry.uri !== undefined) this.dropSubscriber(session, entry.uri);
    }
    const out = { ...msg, id: entry.originalId };
    session.deliver(out, JSON.stringify(out), entry.originalId);
  }

  private initializeAnswered(msg: JsonRpcResponse): void {
    const waiters = this.init.state === 'pending' ? this.init.waiters : [];
    this.init = msg.error === undefined ? { state: 'done', result: msg.result } : { state: 'none' };
    for (const { session, id } of waiters) {
      if (!session.untrack(id)) continue;
      if (msg.error !== undefined) {
        session.replyError(id, msg.error.code, msg.error.message);
      } else {
        session.initialized(msg.result);
        session.reply(id, msg.result);
      }
    }
  }

  private serverNotification(msg: JsonRpcNotification, raw: string): void {
    const params = msg.params ?? {};
    const method = msg.method;
    if (method === 'notifications/progress') {
      const token = params['progressToken'];
      const entry = typeof token === 'number' ? this.inflight.get(token) : undefined;
      if (entry?.session === undefined || entry.originalToken === undefined) return;
      const out = { ...msg, params: { ...params, progressToken: entry.originalToken } };
      entry.session.deliver(out, JSON.stringify(out), entry.originalId);
      return;
    }
    if (method === 'notifications/resources/updated') {
      for (const s of this.subscribers.get(String(params['uri'])) ?? []) s.deliver(msg, raw, undefined);
      return;
    }
    if (method.endsWith('/list_changed')) {
      for (const s of this.sessions) s.deliver(msg, raw, undefined);
      return;
    }
    if (method === 'notifications/cancelled') {
      // The server gave up on one of its own requests to a client.
      const rid = params['requestId'];
      const key = typeof rid === 'string' || typeof rid === 'number' ? idKey(rid) : undefined;
      const owner = key === undefined ? undefined : this.serverRequests.get(key);
      if (owner && key !== undefined) {
        this.serverRequests.delete(key);
        owner.deliver(msg, raw, undefined);
      }
      return;
    }
    const level = method === 'notifications/message' ? levelRank(params['level']) : -1;
    const target = this.soleBusySession();
    if (target) {
      if (passes(target, level)) target.deliver(msg, raw, target.soleRequestId());
      return;
    }
    for (const s of this.sessions) if (passes(s, level)) s.deliver(msg, raw, undefined);
  }

  private serverRequest(msg: JsonRpcRequest, raw: string): void {
    const capability = CAPABILITY_FOR[msg.method];
    const capable = (s: SharedSession) => capability === undefined || s.hasCapability(capability);
    let target = this.soleBusySession();
    if (target === undefined || !capable(target)) {
      target = undefined;
      for (const s of this.sessions) {
        if (capable(s) && (target === undefined || s.lastActivityAt > target.lastActivityAt)) target = s;
      }
    }
    if (target === undefined) {
      const err = errorResponse(
        msg.id,
        RpcErrorCode.MethodNotFound,
        `No connected client can handle ${msg.method}`,
      );
      this.write(JSON.stringify(err));
      return;
    }
    this.serverRequests.set(idKey(msg.id), target);
    target.deliver(msg, raw, target.soleRequestId());
  }

  // ---------------------------------------------------------------- lifecycle

  /** Releases what a closing session holds: its requests, subscriptions and server requests. */
  detach(session: SharedSession): void {
    this.sessions.delete(session);
    for (const [proxyId, entry] of this.inflight) {
      if (entry.session !== session) continue;
      if (entry.method === 'initialize') {
        entry.session = undefined; // others may be waiting on its result
        continue;
      }
      this.inflight.delete(proxyId);
      this.tryWrite({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: proxyId, reason: 'The client session closed' },
      });
    }
    if (this.init.state === 'pending')
      this.init.waiters = this.init.waiters.filter((w) => w.session !== session);
    for (const uri of session.subscriptions) {
      if (this.dropSubscriber(session, uri)) {
        this.forward(undefined, { jsonrpc: '2.0', id: 0, method: 'resources/unsubscribe', params: { uri } });
      }
    }
    for (const [key, owner] of this.serverRequests) {
      if (owner !== session) continue;
      this.serverRequests.delete(key);
      const id = typeof key === 'number' ? key : key.slice(2);
      this.tryWrite(errorResponse(id, RpcErrorCode.ConnectionClosed, 'The client session closed'));
    }
  }

  /** Ends every session at once when the process dies; their pending requests fail first. */
  private processExited(proc: StdioProcess, exit: ProcessExit): void {
    if (this.proc !== proc) return;
    this.proc = undefined;
    this.inflight.clear();
    this.subscribers.clear();
    this.serverRequests.clear();
    this.init = { state: 'none' };
    const message = describeExit(exit);
    for (const s of [...this.sessions])
      s.finish({ reason: exit.requested ? 'server-stopped' : 'process-exited', message, exit });
    this.sessions.clear();
  }

  /** Ends every session (server stopping). */
  closeAll(reason: 'server-stopped' | 'client'): void {
    for (const s of [...this.sessions]) {
      this.detach(s);
      s.finish({ reason, message: 'The server was stopped' });
    }
  }

  private dropSubscriber(session: SharedSession, uri: string): boolean {
    session.subscriptions.delete(uri);
    const subs = this.subscribers.get(uri);
    if (!subs?.delete(session)) return false;
    if (subs.size > 0) return false;
    this.subscribers.delete(uri);
    return true;
  }

  private soleBusySession(): SharedSession | undefined {
    let found: SharedSession | undefined;
    for (const s of this.sessions) {
      if (!s.busy) continue;
      if (found) return undefined;
      found = s;
    }
    return found;
  }

  private levels(): string[] {
    const out: string[] = [];
    for (const s of this.sessions) if (s.logLevel !== undefined) out.push(s.logLevel);
    return out;
  }

  private send(raw: string, msg?: JsonRpcMessage): void {
    if (!this.proc) throw new Error('The MCP server process is not running');
    this.proc.send(raw, msg);
  }

  private write(raw: string): void {
    try {
      this.send(raw);
    } catch {
      // Notifications and responses have nobody to tell; the exit handler reports the cause.
    }
  }

  private tryWrite(msg: JsonRpcMessage): void {
    this.write(JSON.stringify(msg));
  }
}

/** Whether a log message at `rank` passes a session's own level (-1: not a log message). */
function passes(session: SharedSession, rank: number): boolean {
  if (rank < 0 || session.logLevel === undefined) return true;
  return rank >= levelRank(session.logLevel);
}
