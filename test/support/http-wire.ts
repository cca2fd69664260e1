import { type ChildProcess, spawn } from 'node:child_process';
import { type IncomingHttpHeaders, type OutgoingHttpHeaders, request } from 'node:http';
import { type Endpoint, startEndpoint } from '../../src/main/core/http/endpoint-server';
import type { EndpointOptions } from '../../src/main/core/http/endpoint-options';
import { ServerRuntime, type ServerRuntimeConfig } from '../../src/main/core/routing/server-runtime';

/**
 * Helpers for driving a Patchbay endpoint on the wire: a runtime + endpoint per test,
 * plain HTTP exchanges, raw node:http streams that keep every chunk, the real `curl`
 * binary, and a strict SSE parser. Everything talks to 127.0.0.1 and every wait is bounded.
 */

const cleanups: (() => Promise<void>)[] = [];

/** Stops everything `serve` started (call from afterEach). */
export async function cleanupAll(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c();
    } catch {
      // keep cleaning up
    }
  }
}

/** Registers something to undo after the test. */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(async () => {
    await fn();
  });
}

export interface Served {
  runtime: ServerRuntime;
  endpoint: Endpoint;
  port: number;
  url: string;
}

/** Starts a ServerRuntime and an endpoint in-process; both are stopped by `cleanupAll`. */
export async function serve(
  config: ServerRuntimeConfig,
  opts: Partial<EndpointOptions> = {},
): Promise<Served> {
  const runtime = new ServerRuntime(config);
  await runtime.start();
  onCleanup(() => runtime.stop());
  const endpoint = await startEndpoint(runtime, opts);
  onCleanup(() => endpoint.close());
  return { runtime, endpoint, port: endpoint.port, url: endpoint.url };
}

export const BOTH = 'application/json, text/event-stream';

/** A complete (non-streaming) HTTP exchange. */
export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawOptions {
  method?: string;
  path?: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
  /** Body pieces written one by one without a Content-Length (chunked). */
  chunks?: (string | Buffer)[];
}

/** One request with node:http (so Host, Origin and friends are exactly what we say). */
export function http1(port: number, opts: RawOptions = {}, timeoutMs = 10_000): Promise<Exchange> {
  const s = stream(port, opts);
  return s.response(timeoutMs).then(async (r) => {
    await s.ended(timeoutMs);
    return { status: r.status, headers: r.headers, body: s.text() };
  });
}

/** A JSON-RPC POST to /mcp; `headers` are added to Content-Type and Accept. */
export function postRpc(
  port: number,
  message: unknown,
  headers: OutgoingHttpHeaders = {},
  path = '/mcp',
): Promise<Exchange> {
  return http1(port, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', accept: BOTH, ...headers },
    body: typeof message === 'string' ? message : JSON.stringify(message),
  });
}

/** The body of an exchange as JSON (throws with the body when it is not JSON). */
export function json<T = Record<string, unknown>>(x: Exchange): T {
  try {
    return JSON.parse(x.body) as T;
  } catch {
    throw new Error(`not JSON (status ${x.status}): ${JSON.stringify(x.body.slice(0, 300))}`);
  }
}

export function initializeMessage(protocolVersion: string, id: string | number = 1) {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion, capabilities: {}, clientInfo: { name: 'wire-test', version: '1.0.0' } },
  };
}

/**
 * Opens a session: initialize (JSON answer) then notifications/initialized. Returns the
 * session id; fails the test on anything but 200 + a session id.
 */
export async function openSession(
  port: number,
  protocolVersion = '2025-06-18',
  /** Sent on both requests, e.g. the proxy's `Authorization: Bearer <key>`. */
  extra: OutgoingHttpHeaders = {},
): Promise<string> {
  const init = await postRpc(port, initializeMessage(protocolVersion), {
    ...extra,
    accept: 'application/json',
  });
  if (init.status !== 200) throw new Error(`initialize: ${init.status} ${init.body}`);
  const id = init.headers['mcp-session-id'];
  if (typeof id !== 'string') throw new Error('initialize: no Mcp-Session-Id');
  const result = json<{ result: { protocolVersion: string } }>(init).result;
  if (result.protocolVersion !== protocolVersion) {
    throw new Error(`asked for ${protocolVersion}, negotiated ${result.protocolVersion}`);
  }
  const note = await postRpc(
    port,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { ...extra, 'mcp-session-id': id, 'mcp-protocol-version': protocolVersion },
  );
  if (note.status !== 202) throw new Error(`notifications/initialized: ${note.status}`);
  return id;
}

/** tools/call as one JSON-RPC request object. */
export function toolCall(
  id: string | number,
  name: string,
  args: Record<string, unknown> = {},
  meta?: Record<string, unknown>,
) {
  return {
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) },
  };
}

// ------------------------------------------------------------------ raw streams

/**
 * Resolves with `ready()` once it is defined, re-checked whenever a waiter is poked;
 * rejects when it throws or after `timeoutMs`.
 */
function boundedWait<T>(
  waiters: Set<() => void>,
  ready: () => T | undefined,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const settle = (fn: () => void) => {
      waiters.delete(check);
      clearTimeout(timer);
      fn();
    };
    const check = () => {
      let v: T | undefined;
      try {
        v = ready();
      } catch (err) {
        settle(() => reject(err instanceof Error ? err : new Error(String(err))));
        return;
      }
      if (v !== undefined) settle(() => resolve(v));
    };
    const timer = setTimeout(
      () => settle(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`))),
      timeoutMs,
    );
    waiters.add(check);
    check();
  });
}

export interface Chunk {
  at: number;
  data: Buffer;
}

/** A request whose response body is kept chunk by chunk as it arrives. */
export interface RawStream {
  readonly chunks: Chunk[];
  response(
    timeoutMs?: number,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; rawHeaders: string[] }>;
  /** The body so far, decoded from chunked transfer coding by node:http. */
  text(): string;
  /** Resolves with the body once `check(body)` holds. */
  waitFor(check: (body: string) => boolean, timeoutMs?: number, what?: string): Promise<string>;
  /** Resolves when the response ended or the connection closed (which one: `how`). */
  ended(timeoutMs?: number): Promise<'end' | 'close'>;
  readonly isEnded: boolean;
  destroy(): void;
}

export function stream(port: number, opts: RawOptions = {}): RawStream {
  const chunks: Chunk[] = [];
  let endedHow: 'end' | 'close' | undefined;
  const waiters = new Set<() => void>();
  const poke = () => {
    for (const w of [...waiters]) w();
  };
  let failure: Error | undefined;
  const req = request({
    host: '127.0.0.1',
    port,
    method: opts.method ?? 'GET',
    path: opts.path ?? '/mcp',
    headers: opts.headers ?? {},
    agent: false,
  });
  const responded = new Promise<{ status: number; headers: IncomingHttpHeaders; rawHeaders: string[] }>(
    (resolve, reject) => {
      req.once('response', (res) => {
        res.on('data', (d: Buffer) => {
          chunks.push({ at: Date.now(), data: d });
          poke();
        });
        res.once('end', () => {
          endedHow ??= 'end';
          poke();
        });
        res.once('close', () => {
          endedHow ??= 'close';
          poke();
        });
        resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders });
      });
      req.once('error', (err) => {
        failure = err;
        endedHow ??= 'close';
        poke();
        reject(err);
      });
    },
  );
  responded.catch(() => {});
  if (opts.chunks) {
    for (const c of opts.chunks) req.write(c);
    req.end();
  } else {
    req.end(opts.body);
  }
  const text = () => Buffer.concat(chunks.map((c) => c.data)).toString('utf8');
  const bounded = <T>(what: string, timeoutMs: number, ready: () => T | undefined) =>
    boundedWait(waiters, ready, timeoutMs, () => `${what}; got ${JSON.stringify(text())}`);
  return {
    chunks,
    response: (timeoutMs = 10_000) =>
      Promise.race([
        responded,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`no response headers in ${timeoutMs} ms`)), timeoutMs).unref(),
        ),
      ]),
    text,
    waitFor: (check, timeoutMs = 5000, what = 'the expected body') =>
      bounded(what, timeoutMs, () => {
        const t = text();
        if (check(t)) return t;
        if (endedHow !== undefined) {
          throw new Error(`stream ended (${endedHow}) before ${what}: ${JSON.stringify(t)}`);
        }
        return undefined;
      }),
    ended: (timeoutMs = 5000) =>
      bounded('the end of the response', timeoutMs, () => {
        if (failure && endedHow === 'close') return 'close';
        return endedHow;
      }),
    get isEnded() {
      return endedHow !== undefined;
    },
    destroy: () => req.destroy(),
  };
}

// ------------------------------------------------------------------ SSE parsing

export interface SseBlock {
  /** The exact bytes of the block, blank line included. */
  raw: string;
  comment?: string;
  id?: string;
  event?: string;
  retry?: string;
  data?: string;
}

/**
 * Splits an SSE body into blocks and checks each one strictly against PROTOCOL.md: a
 * comment block, or `id:`? `event: message|endpoint` `retry:`? `data:`+ — never a
 * `data:`-only frame, never an unknown field. Returns the blocks and what is left over
 * (an incomplete block at the end).
 */
export function parseSse(body: string): { blocks: SseBlock[]; rest: string } {
  const blocks: SseBlock[] = [];
  let start = 0;
  for (;;) {
    const end = body.indexOf('\n\n', start);
    if (end === -1) break;
    const raw = body.slice(start, end + 2);
    start = end + 2;
    blocks.push(parseBlock(raw));
  }
  return { blocks, rest: body.slice(start) };
}

function parseBlock(raw: string): SseBlock {
  if (raw.includes('\r')) throw new Error(`CR in SSE block: ${JSON.stringify(raw)}`);
  const lines = raw.slice(0, -2).split('\n');
  if (lines.every((l) => l.startsWith(':'))) return { raw, comment: lines.join('\n') };
  const block: SseBlock = { raw };
  const order: string[] = [];
  const data: string[] = [];
  for (const line of lines) {
    // s: U+2028/U+2029 are ordinary characters in SSE (lines end at CR or LF only).
    const m = /^(id|event|retry|data): ?(.*)$/s.exec(line);
    if (!m) throw new Error(`unexpected SSE line ${JSON.stringify(line)} in ${JSON.stringify(raw)}`);
    const field = m[1]!;
    const value = m[2]!;
    order.push(field);
    if (field === 'data') data.push(value);
    else if (block[field as 'id' | 'event' | 'retry'] !== undefined) {
      throw new Error(`repeated ${field} in ${JSON.stringify(raw)}`);
    } else block[field as 'id' | 'event' | 'retry'] = value;
  }
  if (block.event !== 'message' && block.event !== 'endpoint') {
    throw new Error(`frame without event: message|endpoint: ${JSON.stringify(raw)}`);
  }
  if (data.length === 0) throw new Error(`frame without data: ${JSON.stringify(raw)}`);
  // id? event retry? data+ — in that order.
  const shape = order.join(' ').replace(/( data)+$/, ' data');
  if (!/^(id )?event (retry )?data$/.test(shape)) {
    throw new Error(`fields out of order (${shape}): ${JSON.stringify(raw)}`);
  }
  block.data = data.join('\n');
  return block;
}

/** The JSON-RPC messages of the message frames (priming frames skipped). */
export function sseMessages(body: string): { id?: string; msg: Record<string, unknown> }[] {
  return parseSse(body)
    .blocks.filter((b) => b.event === 'message' && b.data !== '')
    .map((b) => {
      if (b.data!.includes('\n')) throw new Error(`multi-line data: ${JSON.stringify(b.raw)}`);
      return {
        ...(b.id !== undefined ? { id: b.id } : {}),
        msg: JSON.parse(b.data!) as Record<string, unknown>,
      };
    });
}

/** True once the body holds a response frame for `id`. */
export function hasResponse(body: string, id: string | number): boolean {
  return sseMessages(body).some((m) => m.msg['id'] === id && !('method' in m.msg));
}

// ------------------------------------------------------------------ curl

export const CURL = '/usr/bin/curl';

/** A running `curl -sN -i …` with its output kept; killed (by pid) at cleanup. */
export interface CurlRun {
  readonly child: ChildProcess;
  output(): string;
  waitFor(check: (out: string) => boolean, timeoutMs?: number, what?: string): Promise<string>;
  /** Resolves with curl's exit code (or the signal) once it exits. */
  exited(timeoutMs?: number): Promise<number | string>;
  kill(): void;
}

/** Runs curl with `-sN -i` and a hard `--max-time`, so it can never hang the test. */
export function curl(args: string[], maxTimeSec = 10): CurlRun {
  const child = spawn(CURL, ['-sN', '-i', '--max-time', String(maxTimeSec), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  let exit: number | string | undefined;
  const waiters = new Set<() => void>();
  const poke = () => {
    for (const w of [...waiters]) w();
  };
  child.stdout.on('data', (d: Buffer) => {
    out.push(d);
    poke();
  });
  // 'close', not 'exit': 'exit' can come before the last of stdout is read, and a test that
  // reads the output once curl is done must see all of it.
  child.once('close', (code, signal) => {
    exit = code ?? signal ?? 'unknown';
    poke();
  });
  const output = () => Buffer.concat(out).toString('utf8');
  const kill = () => {
    if (exit === undefined && child.pid !== undefined) child.kill('SIGTERM');
  };
  onCleanup(kill);
  const bounded = <T>(what: string, timeoutMs: number, ready: () => T | undefined) =>
    boundedWait(waiters, ready, timeoutMs, () => `curl ${what}; output ${JSON.stringify(output())}`);
  return {
    child,
    output,
    waitFor: (check, timeoutMs = 5000, what = 'the expected output') =>
      bounded(what, timeoutMs, () => {
        const o = output();
        if (check(o)) return o;
        if (exit !== undefined) throw new Error(`curl exited (${exit}) before ${what}: ${JSON.stringify(o)}`);
        return undefined;
      }),
    exited: (timeoutMs = (maxTimeSec + 5) * 1000) => bounded('curl to exit', timeoutMs, () => exit),
    kill,
  };
}

/** Splits `curl -i` output into status, lower-cased headers and body. */
export function splitCurl(out: string): { status: number; headers: Record<string, string>; body: string } {
  const cut = out.indexOf('\r\n\r\n');
  if (cut === -1) throw new Error(`no header block in curl output: ${JSON.stringify(out)}`);
  const [statusLine, ...lines] = out.slice(0, cut).split('\r\n');
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(statusLine!)?.[1]);
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status, headers, body: out.slice(cut + 4) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
