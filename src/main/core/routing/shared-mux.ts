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
import type { SlotState } from '../stdio/process-slot';
import { type ProcessExit, type StdioProcess, describeExit } from '../stdio/stdio-process';
import { type Held, HeldMessages, holdDeadline, unavailableReason } from './held-messages';
import { levelRank, mostVerbose } from './logging-levels';
import { routeServerRequest, withEveryClientCapability } from './shared-client-requests';
import type { SharedSession } from './shared-session';
import { MAX_SUBSCRIPTIONS, SharedSubscriptions } from './shared-subscriptions';

/** A request forwarded under a proxy id; `session` undefined for the proxy's own requests. */
interface Inflight {
  session: SharedSession | undefined;
  originalId: JsonRpcId;
  method: string;
  originalToken: JsonRpcId | undefined;
  /** For resources/subscribe: the URI, to undo the subscription if the server refuses. */
  uri?: string;
  /** For the first initialize: its params as sent, replayed after a crash. */
  initParams?: Record<string, unknown>;
  /** Patchbay's own initialize of a restarted process. */
  revival?: boolean;
}

type InitState =
  | { state: 'none' }
  | { state: 'pending'; waiters: { session: SharedSession; id: JsonRpcId }[] }
  | { state: 'done'; result: unknown };

/** Client messages held at most while the process is down (the queue's bound). */
const MAX_HELD = 1000;

/**
 * Shared mode: many sessions over one process. Request ids are rewritten to proxy
 * numbers and restored exactly on the way back; initialize is forwarded once and
 * answered from cache; progress, cancellation, subscriptions, log levels and
 * server→client requests are routed per PROTOCOL.md "Many sessions, one server".
 * Sessions outlive the process: after a crash Patchbay re-initializes the restarted one
 * itself and every session goes on (PROTOCOL.md "Sessions outlive processes").
 */
export class SharedMux {
  /** The slot's state, to tell whether a restart is coming (the runtime sets it). */
  slotState: () => SlotState = () => ({ status: 'stopped' });
  private proc: StdioProcess | undefined;
  /** The process takes client traffic: it is up and, after a restart, re-initialized. */
  private open = false;
  /** The first initialize's params as the process got them; replayed after a crash. */
  private initParams: Record<string, unknown> | undefined;
  private readonly held = new HeldMessages<SharedSession>(MAX_HELD, (expired) =>
    this.failHeld(
      expired,
      unavailableReason(this.slotState()) ?? 'The MCP server did not come back in time after a crash',
    ),
  );
  private nextId = 1;
  private readonly inflight = new Map<number, Inflight>();
  private readonly sessions = new Set<SharedSession>();
  private init: InitState = { state: 'none' };
  private initializedSent = false;
  private readonly subscriptions = new SharedSubscriptions<SharedSession>();
  /** Server→client requests waiting for a client's answer, by the server's id. */
  private readonly serverRequests = new Map<string | number, SharedSession>();

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /**
   * Takes a freshly started process. A process that replaces a crashed one is first
   * re-initialized by Patchbay (messages that arrive meanwhile are held), then sessions go on.
   */
  attachProcess(proc: StdioProcess): void {
    this.proc = proc;
    this.initializedSent = false;
    proc.onMessage = (msg, raw, kind) => this.fromServer(msg, raw, kind);
    proc.onExit = (exit) => this.processExited(proc, exit);
    if (this.initParams === undefined || this.sessions.size === 0) {
      // Nobody to go on for: the next client's own initialize is forwarded, as at first.
      this.initParams = undefined;
      this.init = { state: 'none' };
      this.opened();
    } else {
      this.revive(proc, this.initParams);
    }
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
    if (!this.open && 'method' in msg) this.hold(session, msg, raw);
    else this.route(session, msg, raw);
  }

  private route(session: SharedSession, msg: JsonRpcMessage, raw: string): void {
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
          const initParams = withEveryClientCapability(params);
          const entry = this.forward(session, msg, initParams);
          if (entry) entry.initParams = initParams;
        }
        return;
      case 'resources/subscribe': {
        const uri = String(params['uri']);
        const outcome = this.subscriptions.subscribe(session, uri);
        if (outcome === 'refused') {
          const why = `A session holds at most ${MAX_SUBSCRIPTIONS} resource subscriptions in shared mode`;
          session.replyError(msg.id, RpcErrorCode.InvalidRequest, why);
        } else if (outcome === 'joined') {
          session.reply(msg.id, {});
        } else {
          const entry = this.forward(session, msg);
          if (entry) entry.uri = uri;
        }
        return;
      }
      case 'resources/unsubscribe': {
        if (this.subscriptions.unsubscribe(session, String(params['uri']))) this.forward(session, msg);
        else session.reply(msg.id, {});
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
    this.write(raw, undefined, session.ownSession);
  }

  private clientResponse(session: SharedSession, msg: JsonRpcResponse, raw: string): void {
    if (msg.id === null) return;
    const key = idKey(msg.id);
    // Only the session we asked may answer, and only once.
    if (this.serverRequests.get(key) !== session) return;
    this.serverRequests.delete(key);
    this.write(raw, undefined, session.ownSession);
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
      this.send(JSON.stringify(out), out, session === undefined || session.ownSession);
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
    if (entry.revival) return this.revived(msg);
    if (entry.method === 'initialize') this.initializeAnswered(msg, entry.initParams);
    const session = entry.session;
    if (session === undefined || !session.untrack(entry.originalId)) return;
    if (entry.method === 'initialize' && msg.error === undefined) session.initialized(msg.result);
    if (entry.method === 'resources/subscribe' && msg.error !== undefined) {
      // The server refused: forget the subscription we optimistically recorded.
      if (entry.uri !== undefined) this.subscriptions.unsubscribe(session, entry.uri);
    }
    const out = { ...msg, id: entry.originalId };
    session.deliver(out, JSON.stringify(out), entry.originalId);
  }

  private initializeAnswered(msg: JsonRpcResponse, initParams: Record<string, unknown> | undefined): void {
    const waiters = this.init.state === 'pending' ? this.init.waiters : [];
    this.init = msg.error === undefined ? { state: 'done', result: msg.result } : { state: 'none' };
    if (msg.error === undefined) this.initParams = initParams;
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
      for (const s of this.subscriptions.of(String(params['uri']))) s.deliver(msg, raw, undefined);
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
    const route = routeServerRequest(msg, this.busySessions());
    if (route.to === 'session') {
      this.serverRequests.set(idKey(msg.id), route.session);
      route.session.deliver(msg, raw, route.session.soleRequestId());
    } else if ('error' in route) {
      this.tryWrite(errorResponse(msg.id, route.error.code, route.error.message), true);
    } else {
      this.tryWrite({ jsonrpc: '2.0', id: msg.id, result: route.result }, true);
    }
  }

  // ---------------------------------------------------------------- crash and revival

  /**
   * Re-initializes a process that replaced a crashed one: the cached first initialize
   * under an id of Patchbay's, then (in `revived`) notifications/initialized, the log
   * level and the subscriptions. Client messages are held meanwhile.
   */
  private revive(proc: StdioProcess, initParams: Record<string, unknown>): void {
    proc.frameTap?.note(
      undefined,
      `Shared process ${proc.pid} started after a crash: Patchbay re-initializes it for ${this.sessions.size} session(s)`,
    );
    const id = this.nextId++;
    this.inflight.set(id, {
      session: undefined,
      originalId: id,
      method: 'initialize',
      originalToken: undefined,
      revival: true,
    });
    this.tryWrite({ jsonrpc: '2.0', id, method: 'initialize', params: initParams }, true);
  }

  private revived(msg: JsonRpcResponse): void {
    const proc = this.proc;
    if (msg.error !== undefined) {
      // Nothing sensible to replay onto a server that refused; its own errors speak from here on.
      proc?.frameTap?.note(
        undefined,
        `The restarted server refused Patchbay's initialize: ${msg.error.message}`,
      );
      this.failHeld(
        this.held.drain(),
        `The restarted MCP server refused to initialize: ${msg.error.message}`,
      );
      this.opened();
      return;
    }
    this.init = { state: 'done', result: msg.result };
    this.initializedSent = true;
    this.tryWrite({ jsonrpc: '2.0', method: 'notifications/initialized' }, true);
    const level = mostVerbose(this.levels());
    if (level !== undefined) {
      this.forward(undefined, { jsonrpc: '2.0', id: 0, method: 'logging/setLevel', params: { level } });
    }
    const uris = this.subscriptions.uris;
    for (const uri of uris) {
      this.forward(undefined, { jsonrpc: '2.0', id: 0, method: 'resources/subscribe', params: { uri } });
    }
    for (const s of this.sessions) s.revived();
    proc?.frameTap?.note(
      undefined,
      `Shared process re-initialized: ${this.sessions.size} session(s) go on` +
        `${level === undefined ? '' : `, log level ${level}`}, ${uris.length} subscription(s) replayed`,
    );
    this.opened();
  }

  /** The process takes traffic again: held messages go first, in arrival order. */
  private opened(): void {
    this.open = true;
    for (const { session, msg, raw } of this.held.drain()) {
      if (session.closed) continue;
      // A held request was tracked so a closing session answers it; routing tracks it anew.
      if ('id' in msg && 'method' in msg && !session.untrack(msg.id)) continue;
      this.route(session, msg, raw);
    }
  }

  /** Holds a client message while the process is down, or answers at once if no restart is coming. */
  private hold(session: SharedSession, msg: JsonRpcRequest | JsonRpcNotification, raw: string): void {
    const isRequest = 'id' in msg;
    if (!isRequest && msg.method === 'notifications/cancelled') {
      const rid = msg.params?.['requestId'];
      const key = typeof rid === 'string' || typeof rid === 'number' ? idKey(rid) : undefined;
      const cancelled = this.held.take(
        (h) => h.session === session && 'id' in h.msg && h.msg.id !== null && idKey(h.msg.id) === key,
      );
      for (const h of cancelled) if ('id' in h.msg && h.msg.id !== null) session.untrack(h.msg.id);
      if (cancelled.length > 0) return; // the request never reached the server: nothing to tell it
    }
    const deadline = holdDeadline(this.slotState());
    const refusal =
      typeof deadline === 'string'
        ? deadline
        : this.held.hold({ session, msg, raw, deadline })
          ? undefined
          : `${this.held.max} messages are already waiting for the MCP server to restart`;
    if (refusal === undefined) {
      if (isRequest) session.track(msg, undefined, undefined);
    } else if (isRequest) {
      session.replyError(msg.id, RpcErrorCode.ConnectionClosed, refusal);
    }
  }

  private failHeld(held: Held<SharedSession>[], message: string): void {
    for (const { session, msg } of held) {
      if ('id' in msg && 'method' in msg && session.untrack(msg.id)) {
        session.replyError(msg.id, RpcErrorCode.ConnectionClosed, message);
      }
    }
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
      this.tryWrite(
        {
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId: proxyId, reason: 'The client session closed' },
        },
        true,
      );
    }
    if (this.init.state === 'pending')
      this.init.waiters = this.init.waiters.filter((w) => w.session !== session);
    this.held.take((h) => h.session === session);
    for (const uri of this.subscriptions.release(session)) {
      this.forward(undefined, { jsonrpc: '2.0', id: 0, method: 'resources/unsubscribe', params: { uri } });
    }
    for (const [key, owner] of this.serverRequests) {
      if (owner !== session) continue;
      this.serverRequests.delete(key);
      const id = typeof key === 'number' ? key : key.slice(2);
      this.tryWrite(errorResponse(id, RpcErrorCode.ConnectionClosed, 'The client session closed'), true);
    }
  }

  /**
   * The process died. Requests in flight fail at once. After a crash the sessions stay
   * (with their subscriptions and log levels) and go on once the slot's restart is
   * re-initialized; when the exit was asked for (the server stops), they end.
   */
  private processExited(proc: StdioProcess, exit: ProcessExit): void {
    if (this.proc !== proc) return;
    this.proc = undefined;
    this.open = false;
    const message = describeExit(exit);
    const inflight = [...this.inflight.values()];
    this.inflight.clear();
    this.serverRequests.clear();
    for (const entry of inflight) {
      if (entry.session?.untrack(entry.originalId)) {
        entry.session.replyError(entry.originalId, RpcErrorCode.ConnectionClosed, message);
      }
    }
    if (this.init.state === 'pending') {
      // The first initialize never got its answer: there is nothing to replay.
      for (const { session, id } of this.init.waiters) {
        if (session.untrack(id)) session.replyError(id, RpcErrorCode.ConnectionClosed, message);
      }
      this.init = { state: 'none' };
    }
    if (exit.requested) {
      this.subscriptions.clear();
      this.init = { state: 'none' };
      this.initParams = undefined;
      this.failHeld(this.held.drain(), message);
      for (const s of [...this.sessions]) s.finish({ reason: 'server-stopped', message, exit });
      this.sessions.clear();
      return;
    }
    // The slot learns of the exit a moment later; then held messages either wait or fail.
    setImmediate(() => {
      const why = this.open ? undefined : unavailableReason(this.slotState());
      if (why !== undefined) this.failHeld(this.held.drain(), why);
    });
  }

  /** Ends every session (server stopping). */
  closeAll(reason: 'server-stopped' | 'client'): void {
    for (const s of [...this.sessions]) {
      this.detach(s);
      s.finish({ reason, message: 'The server was stopped' });
    }
  }

  /** The session with requests at the server, when it is the only one. */
  private soleBusySession(): SharedSession | undefined {
    const busy = this.busySessions();
    return busy.length === 1 ? busy[0] : undefined;
  }

  /** Sessions with a request at the server now (two at most: enough to know it is not one). */
  private busySessions(): SharedSession[] {
    const busy: SharedSession[] = [];
    for (const s of this.sessions) {
      if (s.busy && busy.push(s) === 2) break;
    }
    return busy;
  }

  private levels(): string[] {
    const out: string[] = [];
    for (const s of this.sessions) if (s.logLevel !== undefined) out.push(s.logLevel);
    return out;
  }

  /** `own`: Patchbay's traffic, not a client's (marked in the inspector). */
  private send(raw: string, msg?: JsonRpcMessage, own = false): void {
    if (!this.proc) throw new Error('The MCP server process is not running');
    this.proc.send(raw, msg, own ? { own } : undefined);
  }

  private write(raw: string, msg?: JsonRpcMessage, own = false): void {
    try {
      this.send(raw, msg, own);
    } catch {
      // Notifications and responses have nobody to tell; the exit handler reports the cause.
    }
  }

  private tryWrite(msg: JsonRpcMessage, own = false): void {
    this.write(JSON.stringify(msg), msg, own);
  }
}

/** Whether a log message at `rank` passes a session's own level (-1: not a log message). */
function passes(session: SharedSession, rank: number): boolean {
  if (rank < 0 || session.logLevel === undefined) return true;
  return rank >= levelRank(session.logLevel);
}
