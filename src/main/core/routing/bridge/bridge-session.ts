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
import type { CallSink, StatelessCall } from '../stateless-mux';
import { BridgeListens } from './bridge-listens';
import { type Info, SERVER_INFO, legacyParams, modernResult } from './modern-results';

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
}

/** Held legacy calls waiting for a client's retry, per bridge session. */
export const MAX_HELD_CALLS = 256;
/** Server → client requests for one held call. */
const MAX_INPUT_REQUESTS = 16;
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
  /** Server → client requests not yet answered, by their input key. */
  inputs: Map<string, { id: JsonRpcId; method: string; params: unknown }>;
  state: string | undefined;
  timer: NodeJS.Timeout | undefined;
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
      inputs: new Map(),
      state: undefined,
      timer: undefined,
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
    const answers = msg.params?.['inputResponses'];
    const responses =
      typeof answers === 'object' && answers !== null ? (answers as Record<string, unknown>) : {};
    for (const [key, input] of [...c.inputs]) {
      if (!(key in responses)) continue;
      c.inputs.delete(key);
      this.sendToServer({ jsonrpc: '2.0', id: input.id, result: responses[key] as Record<string, unknown> });
    }
    if (c.inputs.size > 0) this.askInput(c); // some left unanswered: ask again
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
    const out: JsonRpcResponse = res.error
      ? { jsonrpc: '2.0', id: c.originalId, error: res.error }
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
    const capability = INPUT_METHODS[msg.method];
    let c = typeof related === 'string' ? this.calls.get(related) : undefined;
    if (!c && this.calls.size === 1) c = [...this.calls.values()][0]; // the only call it can be for
    const refuse = (message: string) =>
      this.sendToServer(errorResponse(msg.id, RpcErrorCode.MethodNotFound, message), OWN);
    if (!capability) return refuse(`Method not found: ${msg.method}`);
    if (!c || !MRTR_METHODS.has(c.method)) {
      return refuse(`${msg.method} is only answered during a tools/call, prompts/get or resources/read`);
    }
    if (this.capabilities[capability] === undefined) {
      // 2026-07-28: the request fails with -32021 naming what the client must declare.
      refuse(`The client did not declare the ${capability} capability`);
      if (c.sink) {
        const sink = c.sink;
        this.cancel(c, false);
        deliverEnd(sink, {
          jsonrpc: '2.0',
          id: c.originalId,
          error: {
            code: MISSING_CLIENT_CAPABILITY,
            message: `${msg.method} needs the client capability "${capability}", which this request did not declare`,
            data: { requiredCapabilities: { [capability]: {} } },
          },
        });
      }
      return;
    }
    if (c.inputs.size >= MAX_INPUT_REQUESTS || (c.sink && this.held.size >= MAX_HELD_CALLS)) {
      return refuse('Too many requests for client input are waiting');
    }
    c.inputs.set(`input-${idKey(msg.id)}`, { id: msg.id, method: msg.method, params: msg.params ?? {} });
    if (c.sink) this.askInput(c); // else: held already; asked on the retry
  }

  /** Answers the modern request with input-required and holds the legacy call (bounded wait). */
  private askInput(c: Call): void {
    const sink = c.sink!;
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

function deliverEnd(sink: CallSink, msg: JsonRpcMessage): void {
  sink.deliver(msg, '');
  sink.end();
}
