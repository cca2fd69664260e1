import { ErrorCode, PatchbayError } from '../errors';
import { RpcErrorCode } from '../jsonrpc/errors';
import type { JsonRpcId, JsonRpcMessage, JsonRpcResponse } from '../jsonrpc/message';
import type { ServerRuntime } from '../routing/server-runtime';
import type { EngineSession, SessionEnd, SessionSink } from '../routing/session';

/** How Patchbay introduces itself to the server it calls tools on. */
export const TOOLS_CLIENT_INFO = { name: 'patchbay-tools', title: 'Patchbay Tools tab', version: '1.0.0' };
const PROTOCOL_VERSION = '2025-06-18';

export interface ToolSessionOptions {
  /** Closed after this long with nothing in flight (default 5 min). */
  idleMs?: number;
  /** A request with no timeout of its own waits this long (default 30 s). */
  requestTimeoutMs?: number;
  /** A server→client request (elicitation, sampling) to be answered with `answer`. */
  onServerRequest?: (id: JsonRpcId, method: string, params: Record<string, unknown>) => void;
  /** The session ended (server stopped, idle, process gone). */
  onClosed?: (end: SessionEnd) => void;
}

interface Waiter {
  resolve: (res: JsonRpcResponse) => void;
  reject: (err: PatchbayError) => void;
  timer: NodeJS.Timeout | undefined;
  onProgress: ((params: Record<string, unknown>) => void) | undefined;
  token: string | undefined;
}

/** Server→client requests waiting for the user at most; more are refused. */
const MAX_SERVER_REQUESTS = 16;
/** Requests in flight at most; more fail fast (every map here is bounded). */
const MAX_IN_FLIGHT = 64;

/**
 * A Patchbay-owned MCP client session on a running server (the Tools tab's): opened through
 * the same routing as real clients, with an in-process sink marked `own` so its traffic shows
 * as Patchbay's in the inspector. It initializes with Patchbay's clientInfo, sends requests
 * with progress, forwards server requests to the window, and closes itself when idle.
 */
export class ToolSession implements SessionSink {
  readonly own = true;
  /** The initialize result (capabilities, serverInfo). */
  initResult: Record<string, unknown> = {};
  private session: EngineSession | undefined;
  private nextId = 1;
  private readonly waiters = new Map<JsonRpcId, Waiter>();
  private readonly progress = new Map<string, Waiter>();
  private readonly serverRequests = new Set<JsonRpcId>();
  private idleTimer: NodeJS.Timeout | undefined;
  private ended: SessionEnd | undefined;

  private constructor(
    readonly runtime: ServerRuntime,
    private readonly options: ToolSessionOptions,
  ) {}

  /** Opens and initializes a session on `runtime`; throws when the server is not running or refuses. */
  static async open(runtime: ServerRuntime, options: ToolSessionOptions = {}): Promise<ToolSession> {
    const tool = new ToolSession(runtime, options);
    tool.session = await runtime.openSession(tool);
    try {
      const init = await tool.request('initialize', {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: { elicitation: {}, sampling: {} },
        clientInfo: TOOLS_CLIENT_INFO,
      });
      tool.initResult = (init ?? {}) as Record<string, unknown>;
      tool.notify('notifications/initialized');
      return tool;
    } catch (err) {
      await tool.close();
      throw err;
    }
  }

  get isClosed(): boolean {
    return this.ended !== undefined || this.session?.closed === true;
  }

  /** True when the server's initialize result lists this capability (`tools`, `resources`, `prompts`). */
  offers(capability: string): boolean {
    const caps = this.initResult['capabilities'] as Record<string, unknown> | undefined;
    return caps?.[capability] !== undefined;
  }

  /**
   * Sends a request; resolves with its result, rejects with its error. With `onProgress`,
   * a progress token is sent and each `notifications/progress` for it is passed on.
   * `timeoutMs: 0` waits until answered, cancelled or closed.
   */
  request(
    method: string,
    params: Record<string, unknown> = {},
    opts: {
      onProgress?: (p: Record<string, unknown>) => void;
      timeoutMs?: number;
      onId?: (id: JsonRpcId) => void;
    } = {},
  ): Promise<unknown> {
    if (this.isClosed || !this.session) {
      return Promise.reject(
        new PatchbayError(ErrorCode.NotRunning, this.ended?.message ?? 'The session is closed'),
      );
    }
    if (this.waiters.size >= MAX_IN_FLIGHT) {
      return Promise.reject(
        new PatchbayError(ErrorCode.Full, `${MAX_IN_FLIGHT} requests are in flight already`),
      );
    }
    const id = this.nextId++;
    opts.onId?.(id);
    const token = opts.onProgress ? `patchbay-tools-${id}` : undefined;
    const outParams = token
      ? { ...params, _meta: { ...(params['_meta'] as object), progressToken: token } }
      : params;
    const msg = { jsonrpc: '2.0' as const, id, method, params: outParams };
    return new Promise<unknown>((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? this.options.requestTimeoutMs ?? 30_000;
      const waiter: Waiter = {
        resolve: (res) => {
          this.forget(id, waiter);
          if (res.error)
            reject(new PatchbayError(ErrorCode.Internal, res.error.message, { data: res.error }));
          else resolve(res.result);
        },
        reject: (err) => {
          this.forget(id, waiter);
          reject(err);
        },
        timer:
          timeoutMs > 0
            ? setTimeout(
                () =>
                  waiter.reject(
                    new PatchbayError(ErrorCode.Timeout, `No answer to ${method} in ${timeoutMs} ms`),
                  ),
                timeoutMs,
              )
            : undefined,
        onProgress: opts.onProgress,
        token,
      };
      this.waiters.set(id, waiter);
      if (token) this.progress.set(token, waiter);
      this.touch(); // a request in flight stops the idle countdown
      this.session!.send(msg, JSON.stringify(msg));
    });
  }

  /** Cancels a request in flight (`notifications/cancelled`); it rejects at once, a late answer is dropped. */
  cancel(id: JsonRpcId, reason = 'Cancelled from the Tools tab'): boolean {
    const waiter = this.waiters.get(id);
    if (!waiter) return false;
    this.notify('notifications/cancelled', { requestId: id, reason });
    waiter.reject(new PatchbayError(ErrorCode.Internal, reason, { data: { cancelled: true } }));
    return true;
  }

  /** Answers a server→client request that `onServerRequest` reported. */
  answer(id: JsonRpcId, answer: { result: unknown } | { error: { code: number; message: string } }): boolean {
    if (!this.serverRequests.delete(id) || this.isClosed) return false;
    const msg = { jsonrpc: '2.0' as const, id, ...answer };
    this.session!.send(msg, JSON.stringify(msg));
    return true;
  }

  /** Drops a server request left unanswered (its call ended), freeing its place. */
  forgetServerRequest(id: JsonRpcId): void {
    this.serverRequests.delete(id);
  }

  notify(method: string, params?: Record<string, unknown>): void {
    if (this.isClosed || !this.session) return;
    const msg = { jsonrpc: '2.0' as const, method, ...(params ? { params } : {}) };
    this.session.send(msg, JSON.stringify(msg));
  }

  // SessionSink: what the engine delivers to this in-process client.
  deliver(msg: JsonRpcMessage, _raw: string, _related: JsonRpcId | undefined): void {
    if ('method' in msg) {
      if ('id' in msg) this.serverRequest(msg.id, msg.method, msg.params ?? {});
      else if (msg.method === 'notifications/progress') {
        const token = msg.params?.['progressToken'];
        const waiter = typeof token === 'string' ? this.progress.get(token) : undefined;
        if (waiter) {
          this.touch();
          waiter.onProgress?.(msg.params ?? {});
        }
      }
      return;
    }
    if (msg.id === null) return;
    this.waiters.get(msg.id)?.resolve(msg);
  }

  closed(end: SessionEnd): void {
    this.ended = end;
    this.finish(end);
  }

  hasOpenStream(): boolean {
    return this.serverRequests.size > 0; // a question on screen keeps the session from being reclaimed
  }

  /** Ends the session; requests in flight fail. */
  async close(): Promise<void> {
    const end: SessionEnd = { reason: 'client', message: 'The Tools tab closed its session' };
    this.ended ??= end;
    this.finish(end);
    await this.session?.close('client');
  }

  private serverRequest(id: JsonRpcId, method: string, params: Record<string, unknown>): void {
    const reply = (answer: { result: unknown } | { error: { code: number; message: string } }) => {
      const msg = { jsonrpc: '2.0' as const, id, ...answer };
      // A later tick, as a client across HTTP would answer (never inside the engine's delivery).
      setImmediate(() => {
        if (!this.isClosed) this.session?.send(msg, JSON.stringify(msg));
      });
    };
    if (method === 'ping') return reply({ result: {} });
    if (method === 'roots/list') return reply({ result: { roots: [] } });
    const asksUser = method === 'elicitation/create' || method === 'sampling/createMessage';
    if (!asksUser || !this.options.onServerRequest) {
      return reply({
        error: { code: RpcErrorCode.MethodNotFound, message: `The Tools tab does not answer ${method}` },
      });
    }
    if (this.serverRequests.size >= MAX_SERVER_REQUESTS) {
      return reply({
        error: { code: RpcErrorCode.InternalError, message: 'Too many questions waiting in the Tools tab' },
      });
    }
    this.serverRequests.add(id);
    this.options.onServerRequest(id, method, params);
  }

  private forget(id: JsonRpcId, waiter: Waiter): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(id);
    if (waiter.token) this.progress.delete(waiter.token);
    this.touch();
  }

  /** Restarts the idle countdown; it only runs while nothing is in flight. */
  private touch(): void {
    clearTimeout(this.idleTimer);
    if (this.isClosed || this.waiters.size > 0) return;
    this.idleTimer = setTimeout(() => void this.close(), this.options.idleMs ?? 5 * 60_000);
    this.idleTimer.unref();
  }

  private finish(end: SessionEnd): void {
    clearTimeout(this.idleTimer);
    const message = end.message || 'The session ended';
    for (const w of [...this.waiters.values()]) w.reject(new PatchbayError(ErrorCode.NotRunning, message));
    this.serverRequests.clear();
    const onClosed = this.options.onClosed;
    this.options.onClosed = undefined;
    onClosed?.(end);
  }
}
