import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
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
  res.writeHead(status, {
    ...options.headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Answers with a status and no body (202 Accepted, 204 No Content, …). */
export function replyEmpty(res: ServerResponse, status: number, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, headers);
  res.end();
}
