import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { errorResponse } from '../jsonrpc/errors';
import type { JsonRpcId } from '../jsonrpc/message';

/** Answers with an HTTP status and a JSON-RPC error body (PROTOCOL.md "Every response"). */
export function replyError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  options: { id?: JsonRpcId | null; headers?: OutgoingHttpHeaders; data?: unknown } = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify(errorResponse(options.id ?? null, code, message, options.data));
  afterRequestBody(res, () => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, {
      ...options.headers,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  });
}

/** How much of an unread request body is read and dropped before a refusal is sent. */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
const DRAIN_MAX_MS = 5000;

/**
 * Runs `send` once the request body is read to its end (dropped, bounded in bytes and time).
 * A refusal sent while the client is still sending (413, or 403/404/415 before the body was
 * read) on a connection that then closes makes the close a TCP reset, and the client loses
 * the answer for a "connection reset" (found by the fuzz run with 4 MiB bodies).
 */
function afterRequestBody(res: ServerResponse, send: () => void): void {
  const req = res.req as IncomingMessage | undefined;
  if (!req || req.complete || req.readableEnded || req.destroyed) {
    send();
    return;
  }
  let sent = false;
  let drained = 0;
  const go = () => {
    if (sent) return;
    sent = true;
    clearTimeout(timer);
    req.off('data', count);
    send();
  };
  const count = (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_MAX_BYTES) go();
  };
  const timer = setTimeout(go, DRAIN_MAX_MS);
  req.on('data', count);
  req.once('end', go);
  req.once('close', go);
  req.resume();
}

/** Answers with a status and no body (202 Accepted, 204 No Content, …). */
export function replyEmpty(res: ServerResponse, status: number, headers: OutgoingHttpHeaders = {}): void {
  afterRequestBody(res, () => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, headers);
    res.end();
  });
}
