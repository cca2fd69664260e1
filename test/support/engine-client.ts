import { resolve } from 'node:path';
import type { JsonRpcId, JsonRpcMessage, JsonRpcResponse } from '../../src/main/core/jsonrpc/message';
import type { EngineSession, SessionEnd, SessionSink } from '../../src/main/core/routing/session';
import type { ServerRuntime, ServerRuntimeConfig } from '../../src/main/core/routing/server-runtime';

export const FIXTURE = resolve(import.meta.dirname, '../fixtures/fixture-server.mjs');
export const STATELESS_FIXTURE = resolve(import.meta.dirname, '../fixtures/stateless-server.mjs');

/** Config for our fixture server, run by the test runner's own Node. */
export function fixtureConfig(
  mode: ServerRuntimeConfig['mode'],
  extra: Partial<ServerRuntimeConfig> & { flags?: string[] } = {},
): ServerRuntimeConfig {
  const { flags = [], ...rest } = extra;
  return {
    command: process.execPath,
    args: [FIXTURE, ...flags],
    mode,
    restart: { initialDelayMs: 100, maxDelayMs: 400 },
    ...rest,
  };
}

export interface Delivered {
  msg: JsonRpcMessage & { id?: JsonRpcId | null; method?: string; params?: Record<string, unknown> };
  raw: string;
  related: JsonRpcId | undefined;
}

/**
 * A test stand-in for an HTTP client session: records what the engine delivers, answers
 * server→client requests (sampling, elicitation, roots, ping) with its own name in them,
 * and numbers its requests from 1 like real clients do.
 */
export class EngineTestClient implements SessionSink {
  readonly delivered: Delivered[] = [];
  ended: SessionEnd | undefined;
  session!: EngineSession;
  private nextId = 1;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly name: string,
    readonly capabilities: Record<string, unknown> = { sampling: {}, elicitation: {}, roots: {} },
  ) {}

  /** Opens a session on the runtime and completes the initialize handshake. */
  static async connect(
    runtime: ServerRuntime,
    name: string,
    capabilities?: Record<string, unknown>,
  ): Promise<EngineTestClient> {
    const client = new EngineTestClient(name, capabilities);
    client.session = await runtime.openSession(client);
    const init = await client.request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: client.capabilities,
      clientInfo: { name, version: '1.0.0' },
    });
    if (init.error) throw new Error(`initialize failed: ${init.error.message}`);
    client.notify('notifications/initialized');
    return client;
  }

  deliver(msg: JsonRpcMessage, raw: string, related: JsonRpcId | undefined): void {
    this.delivered.push({ msg: msg, raw, related });
    if ('method' in msg && 'id' in msg) this.answerServerRequest(msg.id, msg.method);
    for (const l of this.listeners) l();
  }

  closed(end: SessionEnd): void {
    this.ended = end;
    for (const l of this.listeners) l();
  }

  /** Sends a request with the next id (or `id`) and resolves with its response. */
  request(
    method: string,
    params?: Record<string, unknown>,
    id: JsonRpcId = this.nextId++,
  ): Promise<JsonRpcResponse> {
    const msg = { jsonrpc: '2.0' as const, id, method, ...(params ? { params } : {}) };
    const answer = this.waitFor((d) => !('method' in d.msg) && d.msg.id === id);
    this.session.send(msg, JSON.stringify(msg));
    return answer.then((d) => d.msg as JsonRpcResponse);
  }

  /** tools/call; resolves with the result's first text, or throws with the error. */
  async call(
    tool: string,
    args: Record<string, unknown> = {},
    meta?: Record<string, unknown>,
  ): Promise<string> {
    const res = await this.request('tools/call', {
      name: tool,
      arguments: args,
      ...(meta ? { _meta: meta } : {}),
    });
    if (res.error) throw new Error(res.error.message);
    const content = (res.result as { content?: { text?: string }[] }).content;
    return content?.[0]?.text ?? '';
  }

  notify(method: string, params?: Record<string, unknown>): void {
    const msg = { jsonrpc: '2.0' as const, method, ...(params ? { params } : {}) };
    this.session.send(msg, JSON.stringify(msg));
  }

  /** Resolves with the first delivered message (past or future) matching `match`. */
  waitFor(match: (d: Delivered) => boolean, timeoutMs = 5000): Promise<Delivered> {
    const already = this.delivered.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`${this.name}: timed out waiting for a message`));
      }, timeoutMs);
      const listener = () => {
        const found = this.delivered.find(match);
        if (!found) return;
        this.listeners.delete(listener);
        clearTimeout(timer);
        resolve(found);
      };
      this.listeners.add(listener);
    });
  }

  /** Resolves once the session has ended. */
  waitEnded(timeoutMs = 5000): Promise<SessionEnd> {
    return new Promise((resolve, reject) => {
      if (this.ended) return resolve(this.ended);
      const timer = setTimeout(() => reject(new Error(`${this.name}: session did not end`)), timeoutMs);
      const listener = () => {
        if (!this.ended) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(this.ended);
      };
      this.listeners.add(listener);
    });
  }

  /** Delivered messages with this method. */
  notifications(method: string): Delivered[] {
    return this.delivered.filter((d) => d.msg.method === method && !('id' in d.msg));
  }

  private answerServerRequest(id: JsonRpcId, method: string): void {
    let result: unknown;
    if (method === 'sampling/createMessage') {
      result = { role: 'assistant', content: { type: 'text', text: `from ${this.name}` }, model: 'test' };
    } else if (method === 'elicitation/create') {
      result = { action: 'accept', content: { name: this.name } };
    } else if (method === 'roots/list') {
      result = { roots: [{ uri: `file:///${this.name}`, name: this.name }] };
    } else {
      result = {};
    }
    const msg = { jsonrpc: '2.0' as const, id, result };
    // Answer on a later tick, as a real client across HTTP would.
    setImmediate(() => this.session.send(msg, JSON.stringify(msg)));
  }
}
