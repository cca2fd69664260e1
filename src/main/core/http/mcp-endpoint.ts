import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ErrorCode, toPatchbayError } from '../errors';
import { RpcErrorCode } from '../jsonrpc/errors';
import { type JsonRpcId, type JsonRpcNotification, type JsonRpcRequest, idKey } from '../jsonrpc/message';
import type { ServerRuntime } from '../routing/server-runtime';
import type { EndpointOptions } from './endpoint-options';
import { HttpSession } from './http-session';
import { PostResponder } from './post-responder';
import { STATELESS_VERSION, atLeast, isSupportedVersion } from './protocol-versions';
import { replyEmpty, replyError } from './replies';
import { type BodyMessage, acceptable, requireJson, readMessages } from './request-parsing';
import { type KeepAliveTicker, type SseObserver, SseWriter } from './sse-writer';
import { checkStatelessHeaders } from './stateless-headers';

const ALLOW = 'GET, POST, DELETE, OPTIONS';
const VERSION_META = 'io.modelcontextprotocol/protocolVersion';
/** The SDK's 2025 server transport answers a session-less request with this code. */
const LEGACY_BAD_REQUEST = -32000;

/** Observers the frame tap plugs in; all optional, all off the routing logic. */
export interface EndpointTap {
  clientMessage?(session: string | undefined, m: BodyMessage): void;
  jsonOut?(session: string | undefined, body: string): void;
  sse?(session: string | undefined): SseObserver | undefined;
}

/**
 * Streamable HTTP on /mcp (2025-03-26 … 2026-07-28): sessions, JSON or SSE answers,
 * GET streams with replay, DELETE, and stateless 2026-07-28 requests.
 */
export class McpEndpoint {
  readonly sessions = new Map<string, HttpSession>();
  /** Sessions between the capacity check and their engine session existing. */
  private opening = 0;

  constructor(
    private readonly runtime: ServerRuntime,
    private readonly options: EndpointOptions,
    private readonly ticker: KeepAliveTicker,
    private readonly tap: EndpointTap = {},
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, cors: OutgoingHttpHeaders): Promise<void> {
    switch (req.method) {
      case 'POST':
        return this.post(req, res, cors);
      case 'GET':
        return this.get(req, res, cors);
      case 'DELETE':
        return this.delete(req, res, cors);
      default:
        replyError(res, 405, RpcErrorCode.ConnectionClosed, `Method Not Allowed: ${req.method}`, {
          headers: { ...cors, Allow: ALLOW },
        });
    }
  }

  /** Creates the HTTP side of a session and opens it on the engine; shared with legacy /sse. */
  async openSession(res: ServerResponse, cors: OutgoingHttpHeaders): Promise<HttpSession | undefined> {
    // Sessions still opening count too: concurrent initializes must not overshoot the cap.
    if (this.sessions.size + this.opening >= this.options.maxSessions && !this.evictIdleSession()) {
      replyError(
        res,
        503,
        RpcErrorCode.ServerBusy,
        `Server is at capacity (${this.options.maxSessions} sessions)`,
        {
          headers: { ...cors, 'Retry-After': '5' },
        },
      );
      return undefined;
    }
    const session = new HttpSession({ events: this.options.events, maxQueued: this.options.maxQueued }, (s) =>
      this.sessions.delete(s.id),
    );
    this.opening++;
    try {
      session.engine = await this.runtime.openSession(session);
    } catch (err) {
      const e = toPatchbayError(err);
      const busy = e.code === ErrorCode.Full || e.code === ErrorCode.NotRunning;
      replyError(res, busy ? 503 : 500, RpcErrorCode.ServerBusy, e.message, {
        headers: busy ? { ...cors, 'Retry-After': '5' } : cors,
      });
      return undefined;
    } finally {
      this.opening--;
    }
    this.sessions.set(session.id, session);
    return session;
  }

  /**
   * At the sessions cap: ends the least-recently-active session with nothing in flight and
   * no open stream; its next request gets 404 and its client re-initializes. False when none is idle.
   */
  private evictIdleSession(): boolean {
    let victim: HttpSession | undefined;
    for (const s of this.sessions.values()) {
      if (s.ended || !s.engine.idle) continue;
      if (!victim || s.engine.lastActivityAt < victim.engine.lastActivityAt) victim = s;
    }
    if (!victim) return false;
    this.sessions.delete(victim.id);
    this.runtime.frames.note(
      victim.id,
      `Session ended to make room for a new one (sessions cap of ${this.options.maxSessions}); its next request gets 404`,
    );
    void victim.engine.close('evicted');
    return true;
  }

  private async post(req: IncomingMessage, res: ServerResponse, cors: OutgoingHttpHeaders): Promise<void> {
    if (!requireJson(req, res, cors)) return;
    const accept = acceptable(req);
    if (!accept.json && !accept.sse) {
      replyError(
        res,
        406,
        RpcErrorCode.InvalidRequest,
        'Not Acceptable: accept application/json or text/event-stream',
        {
          headers: cors,
        },
      );
      return;
    }
    const parsed = await readMessages(req, res, cors, this.options.maxBodyBytes);
    if (!parsed) return;
    const { batch, messages } = parsed;
    const first = messages[0]!;
    const sessionId = header(req, 'mcp-session-id');

    if (
      messages.some((m) => m.kind === 'request' && (m.msg as JsonRpcRequest).method === 'initialize') &&
      !(await this.modernInitialize(req, messages))
    ) {
      if (messages.length > 1) {
        replyError(res, 400, RpcErrorCode.InvalidRequest, 'Invalid Request: initialize must be sent alone', {
          headers: cors,
        });
        return;
      }
      const session = await this.openSession(res, cors);
      if (session) this.forward(session, messages, false, accept, res, cors);
      return;
    }

    if (sessionId === undefined) {
      const meta = (first.msg as JsonRpcRequest).params?.['_meta'] as Record<string, unknown> | undefined;
      if (
        !batch &&
        first.kind === 'request' &&
        (meta?.[VERSION_META] !== undefined || header(req, 'mcp-protocol-version') === STATELESS_VERSION)
      ) {
        return this.stateless(req, res, cors, first, accept);
      }
      replyError(res, 400, RpcErrorCode.InvalidRequest, 'Bad Request: Mcp-Session-Id header is required', {
        headers: cors,
      });
      return;
    }
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.ended || session.legacyStream) {
      replyError(res, 404, RpcErrorCode.ServerBusy, 'Session not found: initialize a new session', {
        headers: cors,
      });
      return;
    }
    const version = header(req, 'mcp-protocol-version');
    if (version !== undefined && !isSupportedVersion(version)) {
      replyError(
        res,
        400,
        RpcErrorCode.InvalidRequest,
        `Bad Request: unsupported MCP-Protocol-Version "${version}"`,
        {
          headers: cors,
        },
      );
      return;
    }
    if (batch && session.protocolVersion !== '2025-03-26') {
      replyError(
        res,
        400,
        RpcErrorCode.InvalidRequest,
        `Invalid Request: batches are not allowed in ${session.protocolVersion}`,
        {
          headers: cors,
        },
      );
      return;
    }
    const clash = reusedRequestId(session, messages);
    if (clash !== undefined) {
      // Two requests in flight under one id: the second responder would replace the first,
      // whose POST then waited for ever (JSON-RPC: ids are unique among pending requests).
      replyError(
        res,
        400,
        RpcErrorCode.InvalidRequest,
        `Invalid Request: request id ${JSON.stringify(clash)} is already in flight in this session`,
        { id: clash, headers: { ...cors, 'Mcp-Session-Id': session.id } },
      );
      return;
    }
    this.forward(session, messages, batch, accept, res, cors);
  }

  /** Sends a POST's messages into the session and answers with JSON, SSE, or 202. */
  private forward(
    session: HttpSession,
    messages: BodyMessage[],
    batch: boolean,
    accept: { json: boolean; sse: boolean },
    res: ServerResponse,
    cors: OutgoingHttpHeaders,
  ): void {
    const headers = { ...cors, 'Mcp-Session-Id': session.id };
    const requests = messages.filter((m) => m.kind === 'request').map((m) => m.msg as JsonRpcRequest);
    if (requests.length > 0) {
      const responder = this.responderFor(session, requests, batch, accept, res, headers);
      for (const r of requests) session.expect(r.id, responder);
    }
    for (const m of messages) {
      this.tap.clientMessage?.(session.id, m);
      session.engine.send(m.msg, m.line);
      const cancelled = cancelledRequestId(m);
      if (cancelled !== undefined) session.cancelled(cancelled);
    }
    if (requests.length === 0) replyEmpty(res, 202, headers);
  }

  private responderFor(
    session: HttpSession,
    requests: JsonRpcRequest[],
    batch: boolean,
    accept: { json: boolean; sse: boolean },
    res: ServerResponse,
    headers: OutgoingHttpHeaders,
  ): PostResponder {
    const jsonOut = this.tap.jsonOut ? { observe: (b: string) => this.tap.jsonOut?.(session.id, b) } : {};
    // A batch (2025-03-26) keeps the old rule: SSE when the client takes it and a request may
    // bring notifications first.
    const sse = accept.sse && (!accept.json || !batch || requests.some(mayStream));
    if (!sse) {
      return new PostResponder(res, requests.length, {
        mode: 'json',
        batch,
        headers,
        spill: (json) => session.sendStandalone(json),
        ...jsonOut,
      });
    }
    const streamId = session.newStreamId();
    const store = (json: string) => session.events.add(streamId, json);
    // One request and both types accepted: the first frame decides (JSON when it is the
    // response, so nothing streamed); a silent call commits to SSE at its first keep-alive.
    // Otherwise SSE headers wait for the first frame, a few ms at most: a quick answer
    // leaves in one write.
    const auto = accept.json && !batch;
    const writer = this.sseWriter(res, headers, session.id, auto ? 'deferred' : 'lazy');
    if (atLeast(session.protocolVersion, '2025-11-25')) {
      writer.primeAtOpen(session.events.mark(streamId), this.options.retryMs);
    }
    const responder = auto
      ? new PostResponder(res, 1, { mode: 'auto', writer, store, headers, ...jsonOut })
      : new PostResponder(res, requests.length, { mode: 'sse', writer, store });
    session.trackStream(streamId, responder);
    return responder;
  }

  private get(req: IncomingMessage, res: ServerResponse, cors: OutgoingHttpHeaders): void {
    if (!acceptable(req).sse) {
      replyError(
        res,
        406,
        RpcErrorCode.InvalidRequest,
        'Not Acceptable: a GET stream needs Accept: text/event-stream',
        {
          headers: cors,
        },
      );
      return;
    }
    const session = this.sessionFor(req, res, cors);
    if (!session) return;
    const headers = { ...cors, 'Mcp-Session-Id': session.id };
    const writer = this.sseWriter(res, headers, session.id);
    const lastEventId = header(req, 'last-event-id');
    const replay = lastEventId === undefined ? undefined : session.events.after(lastEventId);
    if (replay) {
      // Only what that stream missed, from this session's own store.
      for (const e of replay.events) writer.message(e.json, `${replay.streamId}.${e.seq}`);
      if (replay.streamId === 'g') session.attachGetStream(writer);
      // A POST stream ends after its response, replayed or not.
      else if (!session.resumeStream(replay.streamId, writer)) writer.end();
      return;
    }
    // A second GET replaces the first: a reconnecting client's old socket may not be dead yet.
    if (atLeast(session.protocolVersion, '2025-11-25'))
      writer.prime(session.events.mark('g'), this.options.retryMs);
    session.attachGetStream(writer);
  }

  private async delete(req: IncomingMessage, res: ServerResponse, cors: OutgoingHttpHeaders): Promise<void> {
    const session = this.sessionFor(req, res, cors);
    if (!session) return;
    await session.engine.close('client');
    replyEmpty(res, 200, { ...cors, 'Mcp-Session-Id': session.id });
  }

  /** The session a GET/DELETE names: 400 without the header, 404 when unknown or ended. */
  private sessionFor(
    req: IncomingMessage,
    res: ServerResponse,
    cors: OutgoingHttpHeaders,
  ): HttpSession | undefined {
    const id = header(req, 'mcp-session-id');
    if (id === undefined) {
      replyError(res, 400, RpcErrorCode.InvalidRequest, 'Bad Request: Mcp-Session-Id header is required', {
        headers: cors,
      });
      return undefined;
    }
    const session = this.sessions.get(id);
    if (session === undefined || session.ended || session.legacyStream) {
      replyError(res, 404, RpcErrorCode.ServerBusy, 'Session not found: initialize a new session', {
        headers: cors,
      });
      return undefined;
    }
    return session;
  }

  /** A 2026-07-28 request: no session; checked headers; closing the stream cancels it. */
  private async stateless(
    req: IncomingMessage,
    res: ServerResponse,
    cors: OutgoingHttpHeaders,
    m: BodyMessage,
    accept: { json: boolean; sse: boolean },
  ): Promise<void> {
    const msg = m.msg as JsonRpcRequest;
    const tool = msg.method === 'tools/call' ? msg.params?.['name'] : undefined;
    const paramHeaders = typeof tool === 'string' ? this.runtime.toolParamHeaders(tool) : undefined;
    const problem = checkStatelessHeaders(req, msg, paramHeaders);
    if (problem) {
      // -32020/-32602 are 2026-07-28 answers: a legacy server never gives them.
      if (await this.legacyOnly()) replyAsLegacy(res, cors, msg.id);
      else replyError(res, 400, problem.code, problem.message, { id: msg.id, headers: cors });
      return;
    }
    const listen = msg.method === 'subscriptions/listen';
    if (listen && !accept.sse) {
      replyError(
        res,
        406,
        RpcErrorCode.InvalidRequest,
        'Not Acceptable: subscriptions/listen needs text/event-stream',
        {
          id: msg.id,
          headers: cors,
        },
      );
      return;
    }
    const sse = accept.sse && (listen || !accept.json || mayStream(msg));
    // Bridged, and the client takes both: the first frame decides, as for a session's POST
    // (a big result as JSON, not one SSE event over some clients' event cap).
    const observe = this.tap.jsonOut ? { observe: (b: string) => this.tap.jsonOut?.(undefined, b) } : {};
    const auto = sse && !listen && accept.json && (await this.bridged());
    // Headers wait until the call is accepted: a refusal (400, 503) must still be JSON.
    const writer = sse ? this.sseWriter(res, cors, undefined, 'manual') : undefined;
    const responder = writer
      ? auto
        ? new PostResponder(res, 1, { mode: 'auto', writer, headers: cors, ...observe })
        : new PostResponder(res, 1, { mode: 'sse', writer })
      : new PostResponder(res, 1, {
          mode: 'json',
          batch: false,
          headers: cors,
          spill: () => {}, // no session stream to spill to: progress needs SSE
          ...observe,
        });
    this.tap.clientMessage?.(undefined, m);
    try {
      const call = await this.runtime.statelessCall(msg, responder.asCallSink());
      if (writer && auto) this.ticker.add(writer);
      else if (writer) this.ticker.addLazy(writer);
      res.once('close', () => {
        if (!responder.finished) call.cancel();
      });
    } catch (err) {
      const e = toPatchbayError(err);
      if (e.code === ErrorCode.UnsupportedProtocolVersion && !servesStateless(e.data)) {
        replyAsLegacy(res, cors, msg.id);
      } else if (e.code === ErrorCode.UnsupportedProtocolVersion) {
        replyError(res, 400, -32022, e.message, { id: msg.id, headers: cors, data: e.data });
      } else if (e.code === ErrorCode.NotFound) {
        // Unknown or removed method on modern HTTP: 404 + -32601 (the bridge knows its methods).
        replyError(res, 404, RpcErrorCode.MethodNotFound, e.message, { id: msg.id, headers: cors });
      } else {
        replyError(res, 503, RpcErrorCode.ServerBusy, e.message, {
          id: msg.id,
          headers: { ...cors, 'Retry-After': '5' },
        });
      }
    }
  }

  /** True when 2026-07-28 requests here go through the bridge (a legacy server). */
  private async bridged(): Promise<boolean> {
    return this.runtime.protocolSupport().then(
      (support) => !support.stateless && support.versions.length > 0,
      () => false,
    );
  }

  /**
   * An `initialize` sent as a 2026-07-28 request (envelope and header) to a bridged server: it
   * goes the stateless way, where the bridge answers 404 / -32601 (removed in 2026-07-28).
   */
  private async modernInitialize(req: IncomingMessage, messages: BodyMessage[]): Promise<boolean> {
    if (messages.length !== 1 || header(req, 'mcp-protocol-version') !== STATELESS_VERSION) return false;
    const meta = (messages[0]!.msg as JsonRpcRequest).params?.['_meta'] as
      Record<string, unknown> | undefined;
    if (meta?.[VERSION_META] !== STATELESS_VERSION) return false;
    return this.bridged();
  }

  /**
   * True once the start-up probe found nothing behind this endpoint that serves 2026-07-28,
   * neither itself nor through the bridge (it did not even answer initialize).
   */
  private async legacyOnly(): Promise<boolean> {
    return this.runtime.protocolSupport().then(
      (support) => !support.stateless && support.versions.length === 0,
      () => false,
    );
  }

  /**
   * An SSE writer with this endpoint's limits and tap, kept alive; opened `now`, at its first
   * frame (`lazy`, a few ms at most; `deferred`, or at its first keep-alive), or left to the
   * caller (`manual`).
   */
  sseWriter(
    res: ServerResponse,
    headers: OutgoingHttpHeaders,
    sessionId: string | undefined,
    start: 'now' | 'lazy' | 'deferred' | 'manual' = 'now',
  ): SseWriter {
    const writer = new SseWriter(
      res,
      headers,
      { maxBufferedBytes: this.options.sseMaxBufferedBytes },
      this.tap.sse?.(sessionId),
    );
    if (start === 'now') this.startWriter(writer);
    else if (start === 'lazy') this.ticker.addLazy(writer);
    else if (start === 'deferred') this.ticker.add(writer);
    return writer;
  }

  /** Flushes the headers and puts the stream on the keep-alive ticker. */
  startWriter(writer: SseWriter): void {
    writer.open();
    this.ticker.add(writer);
  }

  /** Ends every session (the endpoint is closing). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.engine.close('server-stopped')));
  }
}

/**
 * Nothing behind the endpoint speaks 2026-07-28: answer a stateless request as a 2025 server
 * answers one without a session (SDK StreamableHTTPServerTransport), so dual-era clients fall
 * back to initialize. -32022 would tell them "modern endpoint" and @ai-sdk/mcp 2.x then
 * stops; naming legacy revisions would claim what we cannot serve (PROTOCOL.md).
 */
function replyAsLegacy(res: ServerResponse, cors: OutgoingHttpHeaders, id: JsonRpcId): void {
  replyError(res, 400, LEGACY_BAD_REQUEST, 'Bad Request: Mcp-Session-Id header is required', {
    id,
    headers: cors,
  });
}

/** True when an UnsupportedProtocolVersion error's `supported` names a stateless revision. */
function servesStateless(data: unknown): boolean {
  const supported = (data as { supported?: unknown } | undefined)?.supported;
  return (
    Array.isArray(supported) && supported.some((v) => typeof v === 'string' && atLeast(v, STATELESS_VERSION))
  );
}

/** Requests that may produce notifications before their response (progress, logs, sampling). */
function mayStream(r: JsonRpcRequest): boolean {
  if (r.method === 'tools/call' || r.method === 'subscriptions/listen') return true;
  const meta = r.params?.['_meta'] as Record<string, unknown> | undefined;
  return meta?.['progressToken'] !== undefined;
}

/** A request id of `messages` that is already in flight in the session, or repeated in the batch. */
function reusedRequestId(session: HttpSession, messages: BodyMessage[]): JsonRpcId | undefined {
  const seen = new Set<string | number>();
  for (const m of messages) {
    if (m.kind !== 'request') continue;
    const id = (m.msg as JsonRpcRequest).id;
    const key = idKey(id);
    if (seen.has(key) || session.isExpecting(id)) return id;
    seen.add(key);
  }
  return undefined;
}

/** The request a `notifications/cancelled` names, if `m` is one. */
function cancelledRequestId(m: BodyMessage): JsonRpcId | undefined {
  if (m.kind !== 'notification' || (m.msg as JsonRpcNotification).method !== 'notifications/cancelled') {
    return undefined;
  }
  const id = (m.msg as JsonRpcNotification).params?.['requestId'];
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
