import { randomBytes } from 'node:crypto';
import { ErrorCode, PatchbayError } from '../../errors';
import { RpcErrorCode, errorResponse } from '../../jsonrpc/errors';
import {
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
  idKey,
  progressTokenOf,
} from '../../jsonrpc/message';
import { LATEST_LEGACY_REVISION, STATELESS_REVISION } from '../protocol-probe';
import type { EngineSession, SendOptions, SessionEnd, SessionSink } from '../session';
import { answerFor, clientCan } from '../shared-client-requests';
import type { CallSink, StatelessCall } from '../stateless-mux';
import { BridgeListens } from './bridge-listens';
import { type Info, SERVER_INFO, legacyParams, modernError, modernResult } from './modern-results';
import type { ToolHeaders } from './tool-headers';

/** What a bridge session needs from its runtime. */
export interface BridgeHost {
  /** A legacy engine session (isolated or shared, with revival) whose client is `sink`. */
  open(sink: SessionSink): Promise<EngineSession>;
  /** A note for the inspector about Patchbay's own doing. */
  note(sessionId: string | undefined, text: string): void;
  /** How long initialize may take (the process may be starting). */
  readonly initTimeoutMs: number;
  /** How long a legacy request for client input waits for the modern client's retry (MRTR). */
  readonly inputWaitMs: number;
  /** Shared mode: one pooled session serves every capabilities set. */
  readonly shared?: boolean;
}

/** Held legacy calls waiting for a client's retry, per bridge session. */
export const MAX_HELD_CALLS = 256;
/** Server → client requests for one held call. */
const MAX_INPUT_REQUESTS = 16;
/**
 * How long after a server's request for input the bridge waits for more before answering
 * input-required: a 2025 server that needs several answers sends its requests together
 * (one tick, a few stdout lines), and MRTR asks for them in one round.
 */
const INPUT_GATHER_MS = 20;
/** Methods whose legacy server → client requests may become an input-required result (MRTR). */
const MISSING_CLIENT_CAPABILITY = -32021;
const MRTR_METHODS = new Set(['tools/call', 'prompts/get', 'resources/read']);
/** What Patchbay sends on its own (initialize, subscriptions, ping answers, refusals): marked so in the inspector. */
const OWN: SendOptions = { own: true };
const INPUT_METHODS: Record<string, string> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

/** One modern request running as a legacy request on the pooled session. */
interface Call {
  legacyId: string;
  method: string;
  params: Record<string, unknown> | undefined;
  /** The modern request's stream; undefined while held for the client's retry (MRTR). */
  sink: CallSink | undefined;
  originalId: JsonRpcId;
  originalToken: JsonRpcId | undefined;
  logs: boolean;
  /** The client capabilities the modern request declared (what it may be asked for). */
  caps: Record<string, unknown>;
  /** Server → client requests not yet answered, by their input key. */
  inputs: Map<string, { id: JsonRpcId; method: string; params: unknown }>;
  /** Answers the client sent that no request has used yet, by input key (`inputResponses`). */
  supplied: Record<string, unknown>;
  state: string | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Set while requests for input are being gathered into one input-required result. */
  gather: NodeJS.Timeout | undefined;
}

/**
 * One legacy session Patchbay keeps for modern (2026-07-28) clients with the same
 * capabilities: initialized by Patchbay, revived by the engine when its process goes.
 * Each modern request runs on it under a bridge id and is answered on its own stream.
 */
export class BridgeSession implements SessionSink {
  readonly ready: Promise<void>;
  lastUsedAt = Date.now();
  ended = false;
  /** What the server said at initialize. */
  initResult: Record<string, unknown> = {};
  private engine: EngineSession | undefined;
  private readonly prefix = `patchbay-bridge-${randomBytes(4).toString('hex')}-`;
  private nextId = 1;
  private readonly calls = new Map<string, Call>();
  /** Held calls by their requestState. */
  private readonly held = new Map<string, Call>();
  private readonly waiters = new Map<string, (r: JsonRpcResponse) => void>();
  readonly listens: BridgeListens;

  constructor(
    private readonly host: BridgeHost,
    readonly capabilities: Record<string, unknown>,
    private readonly toolHeaders: ToolHeaders,
    private readonly onClosed: (s: BridgeSession) => void,
  ) {
    this.listens = new BridgeListens({
      serverCapabilities: () => this.initResult['capabilities'] as Record<string, unknown> | undefined,
      request: (method, params) => this.ownRequest(method, params),
    });
    this.ready = this.start();
  }

  /** Nothing in flight, held or listening: the pool may drop it. */
  get idle(): boolean {
    return this.calls.size === 0 && this.listens.size === 0;
  }

  get serverInfo(): Info {
    return this.initResult['serverInfo'] as Info;
  }

  private async start(): Promise<void> {
    this.engine = await this.host.open(this);
    const timeout = this.host.initTimeoutMs;
    const answer = await Promise.race([
      this.ownRequest('initialize', {
        protocolVersion: LATEST_LEGACY_REVISION,
        capabilities: this.capabilities,
        clientInfo: { name: 'patchbay-bridge', version: '1' },
      }),
      new Promise<undefined>((r) => setTimeout(() => r(undefined), timeout).unref()),
    ]);
    if (!answer || answer.error || typeof answer.result !== 'object' || answer.result === null) {
      void this.engine.close('client');
      const why = answer?.error?.message ?? (answer ? 'no result' : `no answer in ${timeout} ms`);
      throw new PatchbayError(ErrorCode.ProcessExited, `The MCP server did not initialize: ${why}`);
    }
    this.initResult = answer.result as Record<string, unknown>;
    this.sendToServer({ jsonrpc: '2.0', method: 'notifications/initialized' }, OWN);
    this.host.note(
      this.engine.id,
      `Bridge session for 2026-07-28 clients with capabilities ${JSON.stringify(this.capabilities)}`,
    );
  }

  /** `server/discover`, answered from what the server said at initialize. */
  discover(): Record<string, unknown> {
    const legacy = this.initResult['protocolVersion'];
    const out: Record<string, unknown> = {
      supportedVersions: [STATELESS_REVISION, ...(typeof legacy === 'string' ? [legacy] : [])],
      capabilities: this.initResult['capabilities'] ?? {},
    };
    if (typeof this.initResult['instructions'] === 'string')
      out['instructions'] = this.initResult['instructions'];
    return { ...modernResult('server/discover', out, this.serverInfo), ttlMs: 0, cacheScope: 'private' };
  }

  /** Runs one modern request on this session; its answer goes to `sink`. */
  call(msg: JsonRpcRequest, sink: CallSink, proxyId: number): StatelessCall {
    this.lastUsedAt = Date.now();
    if (msg.method === 'subscriptions/listen') {
      return { proxyId, cancel: this.listens.listen(msg.id, msg.params, sink) };
    }
    const state = msg.params?.['requestState'];
    if (typeof state === 'string' && MRTR_METHODS.has(msg.method))
      return this.resume(msg, state, sink, proxyId);
    const legacyId = `${this.prefix}${this.nextId++}`;
    const token = progressTokenOf(msg);
    const meta = msg.params?.['_meta'] as Record<string, unknown> | undefined;
    const params = legacyParams(msg, token !== undefined ? legacyId : undefined);
    const c: Call = {
      legacyId,
      method: msg.method,
      params,
      sink,
      originalId: msg.id,
      originalToken: token,
      logs: meta?.['io.modelcontextprotocol/logLevel'] !== undefined,
      caps: capabilitiesOf(msg),
      inputs: new Map(),
      // A stateless retry without requestState may already carry the answers (MRTR): the
      // server's questions are asked again and answered from them.
      supplied: inputResponsesOf(msg),
      state: undefined,
      timer: undefined,
      gather: undefined,
    };
    this.calls.set(legacyId, c);
    this.sendToServer({ jsonrpc: '2.0', id: legacyId, method: msg.method, ...(params ? { params } : {}) });
    return { proxyId, cancel: () => this.cancel(c) };
  }

  /** A retry carrying answers: they go to the held legacy call, which goes on under the new request. */
  private resume(msg: JsonRpcRequest, state: string, sink: CallSink, proxyId: number): StatelessCall {
    const c = this.held.get(state);
    if (!c) {
      deliverEnd(
        sink,
        errorResponse(
          msg.id,
          RpcErrorCode.InvalidParams,
          'Invalid params: requestState is unknown or expired (the held call was answered, cancelled, or waited too long); send the request again without it',
        ),
      );
      return { proxyId, cancel: () => {} };
    }
    this.held.delete(state);
    clearTimeout(c.timer);
    c.state = undefined;
    c.sink = sink;
    c.originalId = msg.id;
    c.originalToken = progressTokenOf(msg);
    c.caps = capabilitiesOf(msg);
    c.supplied = inputResponsesOf(msg);
    for (const [key, input] of [...c.inputs]) this.answerFromSupplied(c, key, input);
    if (c.inputs.size > 0) this.askInput(c); // some left unanswered (or answered wrongly): ask again
    return { proxyId, cancel: () => this.cancel(c) };
  }

  /** Cancels the legacy call (the client closed its stream); `end` closes that stream too. */
  private cancel(c: Call, end = true): void {
    if (!this.calls.has(c.legacyId) || c.sink === undefined) return;
    this.drop(c);
    this.sendToServer({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: c.legacyId, reason: 'The client closed the request stream' },
    });
    if (end) c.sink.end();
  }

  private drop(c: Call): void {
    this.calls.delete(c.legacyId);
    clearTimeout(c.timer);
    clearTimeout(c.gather);
    if (c.state !== undefined) this.held.delete(c.state);
  }

  // ---- SessionSink: what the legacy session sends us ----

  deliver(msg: JsonRpcMessage, _raw: string, related: JsonRpcId | undefined): void {
    if ('method' in msg) {
      if ('id' in msg) this.serverRequest(msg, related);
      else this.notification(msg, related);
      return;
    }
    const res = msg;
    if (typeof res.id !== 'string') return;
    const own = this.waiters.get(res.id);
    if (own) {
      this.waiters.delete(res.id);
      own(res);
      return;
    }
    const c = this.calls.get(res.id);
    if (!c) return;
    this.drop(c);
    if (!c.sink) return; // held: the client will learn it on retry (expired)
    if (c.method === 'tools/list' && !res.error) this.toolHeaders.learn(res.result);
    const out: JsonRpcResponse = res.error
      ? { jsonrpc: '2.0', id: c.originalId, error: modernError(c.method, res.error) }
      : { jsonrpc: '2.0', id: c.originalId, result: modernResult(c.method, res.result, this.serverInfo) };
    deliverEnd(c.sink, out);
  }

  closed(end: SessionEnd): void {
    this.ended = true;
    for (const c of [...this.calls.values()]) {
      this.drop(c);
      if (c.sink) deliverEnd(c.sink, errorResponse(c.originalId, RpcErrorCode.ConnectionClosed, end.message));
    }
    for (const [, answer] of this.waiters)
      answer(errorResponse('', RpcErrorCode.ConnectionClosed, end.message));
    this.waiters.clear();
    this.listens.endAll();
    this.onClosed(this);
  }

  hasOpenStream(): boolean {
    return this.listens.size > 0 || this.held.size > 0;
  }

  /** Ends the legacy session (pool eviction, server stop). */
  close(): Promise<void> {
    return this.engine?.close('client') ?? Promise.resolve();
  }

  private notification(msg: JsonRpcNotification, related: JsonRpcId | undefined): void {
    const params = msg.params ?? {};
    if (msg.method === 'notifications/progress') {
      const token = params['progressToken'];
      const c = typeof token === 'string' ? this.calls.get(token) : undefined;
      if (c?.sink && c.originalToken !== undefined) {
        c.sink.deliver({ ...msg, params: { ...params, progressToken: c.originalToken } }, '');
      }
      return;
    }
    if (msg.method === 'notifications/message') {
      const c = typeof related === 'string' ? this.calls.get(related) : undefined;
      if (c?.sink && c.logs) c.sink.deliver(msg, '');
      return;
    }
    this.listens.fromServer(msg);
  }

  /** A legacy server → client request: ping is ours; input requests of a call become MRTR. */
  private serverRequest(msg: JsonRpcRequest, related: JsonRpcId | undefined): void {
    if (msg.method === 'ping') {
      this.sendToServer({ jsonrpc: '2.0', id: msg.id, result: {} }, OWN);
      return;
    }
    const c = this.callFor(related);
    const refuse = (message: string) =>
      this.sendToServer(errorResponse(msg.id, RpcErrorCode.MethodNotFound, message), OWN);
    if (!INPUT_METHODS[msg.method]) return refuse(`Method not found: ${msg.method}`);
    if (!c || !MRTR_METHODS.has(c.method)) {
      return refuse(`${msg.method} is only answered during a tools/call, prompts/get or resources/read`);
    }
    if (c.inputs.size >= MAX_INPUT_REQUESTS || (c.sink && this.held.size >= MAX_HELD_CALLS)) {
      return refuse('Too many requests for client input are waiting');
    }
    // A string id names the input (a server can choose it); a number is the SDKs' counter.
    const key = typeof msg.id === 'string' && !c.inputs.has(msg.id) ? msg.id : `input-${idKey(msg.id)}`;
    const input = { id: msg.id, method: msg.method, params: msg.params ?? {} };
    c.inputs.set(key, input);
    if (this.answerFromSupplied(c, key, input) || !c.sink) return; // held already: asked on the retry
    clearTimeout(c.gather);
    c.gather = setTimeout(() => this.askInput(c), INPUT_GATHER_MS);
    c.gather.unref();
  }

  /**
   * Answers a server's request for input with the client's answer under its key, when the
   * client sent one of the right shape (anything else is asked for again). True when answered.
   */
  private answerFromSupplied(c: Call, key: string, input: { id: JsonRpcId; method: string }): boolean {
    const answer = c.supplied[key];
    delete c.supplied[key];
    if (!isAnswerTo(input.method, answer)) return false;
    c.inputs.delete(key);
    this.sendToServer({ jsonrpc: '2.0', id: input.id, result: answer });
    return true;
  }

  /**
   * The call a server → client request belongs to: the one the engine names, else the only
   * call running (held calls wait for their client; stdio cannot say more).
   */
  private callFor(related: JsonRpcId | undefined): Call | undefined {
    const named = typeof related === 'string' ? this.calls.get(related) : undefined;
    if (named) return named;
    let running: Call | undefined;
    for (const c of this.calls.values()) {
      if (!c.sink || !MRTR_METHODS.has(c.method)) continue;
      if (running) return undefined;
      running = c;
    }
    return running ?? (this.calls.size === 1 ? [...this.calls.values()][0] : undefined);
  }

  /**
   * Answers the modern request with input-required and holds the legacy call (bounded wait).
   * Requests the client's capabilities do not cover are never passed on (2026-07-28): Patchbay
   * answers them as such a client would (shared-client-requests.ts); when nothing is left to
   * ask and the server wanted sampling or elicitation, the request fails with -32021 naming
   * what the client must declare.
   */
  private askInput(c: Call): void {
    c.gather = undefined;
    if (!this.calls.has(c.legacyId) || !c.sink) return;
    const sink = c.sink;
    const client = { capabilities: c.caps };
    const lacking: Record<string, unknown> = {};
    for (const [key, input] of c.inputs) {
      const asked = {
        jsonrpc: '2.0',
        id: input.id,
        method: input.method,
        params: input.params,
      } as JsonRpcRequest;
      if (clientCan(client, asked)) continue;
      const capability = INPUT_METHODS[input.method]!;
      // A client without roots has none: the answer is an empty list, never a failed call (a
      // shared process asks every client, e.g. server-everything right after initialize).
      if (capability !== 'roots') {
        lacking[capability] = capability === 'elicitation' && isUrlMode(input.params) ? { url: {} } : {};
      }
      c.inputs.delete(key);
      const answer = answerFor<never>(asked);
      if (answer.to !== 'server') continue;
      this.sendToServer(
        'result' in answer
          ? { jsonrpc: '2.0', id: input.id, result: answer.result as Record<string, unknown> }
          : errorResponse(input.id, answer.error.code, answer.error.message),
        OWN,
      );
    }
    if (c.inputs.size === 0) {
      if (Object.keys(lacking).length === 0) return; // roots answered for the client: the call goes on
      // 2026-07-28: the request fails with -32021 naming what the client must declare.
      this.cancel(c, false);
      const needs = Object.keys(lacking);
      deliverEnd(sink, {
        jsonrpc: '2.0',
        id: c.originalId,
        error: {
          code: MISSING_CLIENT_CAPABILITY,
          message: `The server asked for client input this request's capabilities do not cover: ${needs.join(', ')}`,
          data: { requiredCapabilities: lacking },
        },
      });
      return;
    }
    const state = randomBytes(16).toString('base64url');
    const inputRequests: Record<string, unknown> = {};
    for (const [key, input] of c.inputs) inputRequests[key] = { method: input.method, params: input.params };
    const result = {
      resultType: 'input_required',
      inputRequests,
      requestState: state,
      _meta: this.serverInfo ? { [SERVER_INFO]: this.serverInfo } : {},
    };
    c.sink = undefined;
    c.state = state;
    this.held.set(state, c);
    c.timer = setTimeout(() => this.expire(c), this.host.inputWaitMs);
    c.timer.unref();
    deliverEnd(sink, { jsonrpc: '2.0', id: c.originalId, result });
  }

  /** No retry came in time: the server's questions get an error and its call is cancelled. */
  private expire(c: Call): void {
    if (!this.calls.has(c.legacyId) || c.sink) return;
    this.drop(c);
    const message = `The client did not answer within ${this.host.inputWaitMs} ms`;
    for (const input of c.inputs.values()) {
      this.sendToServer(errorResponse(input.id, RpcErrorCode.InternalError, message), OWN);
    }
    this.sendToServer(
      {
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: c.legacyId, reason: message },
      },
      OWN,
    );
  }

  /** A request of Patchbay's own on the legacy session (initialize, subscribe). */
  private ownRequest(method: string, params: Record<string, unknown>): Promise<JsonRpcResponse> {
    const id = `${this.prefix}own-${this.nextId++}`;
    return new Promise((resolve) => {
      this.waiters.set(id, resolve);
      this.sendToServer({ jsonrpc: '2.0', id, method, params }, OWN);
    });
  }

  private sendToServer(msg: JsonRpcMessage, opts?: SendOptions): void {
    if (!this.engine || this.ended) return;
    this.engine.send(msg, JSON.stringify(msg), opts);
  }
}

/** The client capabilities a modern request declares in its envelope. */
function capabilitiesOf(msg: JsonRpcRequest): Record<string, unknown> {
  const meta = msg.params?.['_meta'] as Record<string, unknown> | undefined;
  const caps = meta?.['io.modelcontextprotocol/clientCapabilities'];
  return typeof caps === 'object' && caps !== null ? (caps as Record<string, unknown>) : {};
}

/** The answers a modern request carries (`params.inputResponses`), by input key. */
function inputResponsesOf(msg: JsonRpcRequest): Record<string, unknown> {
  const answers = msg.params?.['inputResponses'];
  return typeof answers === 'object' && answers !== null && !Array.isArray(answers)
    ? { ...(answers as Record<string, unknown>) }
    : {};
}

/** True when `answer` has the shape of a result to `method` (ElicitResult, CreateMessageResult, ListRootsResult). */
function isAnswerTo(method: string, answer: unknown): answer is Record<string, unknown> {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return false;
  const a = answer as Record<string, unknown>;
  if (method === 'elicitation/create') return ['accept', 'decline', 'cancel'].includes(a['action'] as string);
  if (method === 'sampling/createMessage') return typeof a['content'] === 'object' && a['content'] !== null;
  if (method === 'roots/list') return Array.isArray(a['roots']);
  return false;
}

function isUrlMode(params: unknown): boolean {
  return (params as { mode?: unknown } | undefined)?.mode === 'url';
}

function deliverEnd(sink: CallSink, msg: JsonRpcMessage): void {
  sink.deliver(msg, '');
  sink.end();
}
