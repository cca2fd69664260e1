import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { serverUrls } from '@shared/server-url';
import { ErrorCode, PatchbayError } from '../errors';
import { RpcErrorCode, errorResponse } from '../jsonrpc/errors';
import type { FrameTap } from '../inspect/frame-tap';
import type { ServerRuntime } from '../routing/server-runtime';
import { AccessPolicy, bindsToLoopbackOnly } from './access-policy';
import { DEFAULT_ENDPOINT_OPTIONS, type EndpointOptions } from './endpoint-options';
import { LegacySse } from './legacy-sse';
import { type EndpointTap, McpEndpoint } from './mcp-endpoint';
import { replyEmpty, replyError } from './replies';
import { KeepAliveTicker } from './sse-writer';

/** A running HTTP endpoint for one server. */
export interface Endpoint {
  /** The Streamable HTTP URL (`http://127.0.0.1:PORT/mcp`). */
  url: string;
  /** The legacy HTTP+SSE URL (`…/sse`). */
  sseUrl: string;
  port: number;
  sessionCount(): number;
  /** Takes new access rules and limits at once, for the next requests; open sessions stay. */
  reconfigure(next: Pick<Partial<EndpointOptions>, LiveEndpointOption>): void;
  close(): Promise<void>;
}

/** What a running endpoint can change without a restart. */
export type LiveEndpointOption = 'maxSessions' | 'maxBodyBytes' | 'allowedOrigins' | 'token';

/**
 * Starts the `node:http` server that fronts one ServerRuntime: /mcp, /sse, /messages.
 * Hand-written on node:http (no framework): it sits in every tool call's path.
 */
export async function startEndpoint(
  runtime: ServerRuntime,
  opts: Partial<EndpointOptions> = {},
  tap: EndpointTap = frameTapOf(runtime.frames),
): Promise<Endpoint> {
  const options: EndpointOptions = { ...DEFAULT_ENDPOINT_OPTIONS, ...opts };
  const loopback = await bindsToLoopbackOnly(options.host);
  if (!loopback && !options.token) {
    throw new PatchbayError(
      ErrorCode.InvalidArgument,
      `Binding to ${options.host} exposes the server beyond this machine: set a token (--token) to do that.`,
    );
  }
  const ticker = new KeepAliveTicker(options.keepAliveMs);
  let policy = new AccessPolicy({ ...options, port: options.port, loopback });
  const mcp = new McpEndpoint(runtime, options, ticker, tap);
  const legacy = new LegacySse(mcp, options, tap);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      replyError(
        res,
        500,
        RpcErrorCode.InternalError,
        `Internal error: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  const refused = new WeakSet<Duplex>();
  // What node:http cannot parse (bad method, header or framing) gets a JSON-RPC 400 (431
  // for oversized headers), like every other refusal; and the rest of what the client sends
  // is read and dropped for a moment before closing, since closing on unread data is a TCP
  // reset that loses the answer (the fuzz run's 4 MiB bodies with Content-Length and chunked).
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    socket.on('error', () => {});
    if (refused.has(socket)) return; // node re-reports each later chunk it cannot parse
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    refused.add(socket);
    // The parser is done with this connection: stop feeding it what follows.
    socket.removeAllListeners('data');
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const text = status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
    const body = JSON.stringify(
      errorResponse(
        null,
        RpcErrorCode.InvalidRequest,
        `${text}: the request could not be parsed (${err.code ?? 'error'})`,
      ),
    );
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
    lingerThenDestroy(socket);
  });
  // node:http hands CONNECT to a 'connect' listener and, without one, drops the connection
  // with no answer at all; PROTOCOL.md wants every request answered (found by the fuzz run).
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    const body = JSON.stringify(
      errorResponse(
        null,
        RpcErrorCode.InvalidRequest,
        'Method Not Allowed: CONNECT (this is an MCP endpoint, not a proxy)',
      ),
    );
    socket.on('error', () => {}); // the client may be gone already; nothing to tell it
    socket.end(
      `HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, POST, DELETE, OPTIONS\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    lingerThenDestroy(socket);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const verdict = policy.check(req);
    if (!verdict.ok) {
      replyError(res, verdict.status, RpcErrorCode.InvalidRequest, verdict.message, {
        headers: verdict.headers,
      });
      return;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (req.method === 'OPTIONS') {
      replyEmpty(res, 204, { ...policy.preflight(verdict.cors), Allow: 'GET, POST, DELETE, OPTIONS' });
      return;
    }
    if (path === '/mcp' || path === '/mcp/') return mcp.handle(req, res, verdict.cors);
    if (path === '/sse' && req.method === 'GET') return legacy.open(req, res, verdict.cors);
    if (path === '/messages' && req.method === 'POST') {
      return legacy.post(req, res, verdict.cors, new URLSearchParams(q === -1 ? '' : url.slice(q + 1)));
    }
    if (path === '/sse' || path === '/messages') {
      replyError(res, 405, RpcErrorCode.InvalidRequest, `Method Not Allowed: ${req.method}`, {
        headers: { ...verdict.cors, Allow: path === '/sse' ? 'GET, OPTIONS' : 'POST, OPTIONS' },
      });
      return;
    }
    replyError(res, 404, RpcErrorCode.InvalidRequest, `Not Found: ${path} (the MCP endpoint is /mcp)`, {
      headers: verdict.cors,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new PatchbayError(
              ErrorCode.PortInUse,
              `Port ${options.port} is used by another program. Pick another port.`,
              {
                cause: err,
              },
            )
          : err,
      );
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (options.port === 0) policy = new AccessPolicy({ ...options, port, loopback });

  return {
    ...serverUrls(options.host, port),
    port,
    sessionCount: () => mcp.sessions.size,
    reconfigure(next) {
      if (!loopback && 'token' in next && !next.token) {
        throw new PatchbayError(
          ErrorCode.InvalidArgument,
          `${options.host} is reachable beyond this machine: it keeps a token.`,
        );
      }
      // The endpoint and its session layer read `options` per request: a new value applies next.
      if (next.maxSessions !== undefined) options.maxSessions = next.maxSessions;
      if (next.maxBodyBytes !== undefined) options.maxBodyBytes = next.maxBodyBytes;
      if (next.allowedOrigins !== undefined) options.allowedOrigins = next.allowedOrigins;
      if ('token' in next) {
        if (next.token) options.token = next.token;
        else delete options.token;
      }
      policy = new AccessPolicy({ ...options, port, loopback });
    },
    async close() {
      ticker.stop();
      await mcp.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** After answering on a socket we will not read from again: drop what still comes (bounded), then close. */
function lingerThenDestroy(socket: Duplex): void {
  let dropped = 0;
  const timer = setTimeout(() => socket.destroy(), 2000);
  timer.unref();
  socket.on('data', (d: Buffer) => {
    dropped += d.length;
    if (dropped > 64 * 1024 * 1024) socket.destroy();
  });
  socket.once('end', () => socket.destroy());
  socket.once('close', () => clearTimeout(timer));
  socket.resume();
}

/** Records the HTTP legs (client→proxy bodies, proxy→client JSON bodies and SSE frames) into a frame tap. */
export function frameTapOf(frames: FrameTap): EndpointTap {
  return {
    clientMessage: (session, m) => frames.record('client→proxy', 'http', session, m.line, m.msg),
    jsonOut: (session, body) => frames.record('proxy→client', 'http', session, body),
    sse: (session) => (text, kind) =>
      frames.record('proxy→client', 'sse', session, text, undefined, kind === 'message' ? undefined : kind),
  };
}
