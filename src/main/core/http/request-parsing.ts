import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { RpcErrorCode } from '../jsonrpc/errors';
import { type JsonRpcMessage, type MessageKind, messageKind } from '../jsonrpc/message';
import { readBody } from './body-reader';
import { replyError } from './replies';

/** What the client can take: lenient, since real clients send a wildcard or only JSON. */
export function acceptable(req: IncomingMessage): { json: boolean; sse: boolean } {
  const accept = req.headers.accept;
  if (accept === undefined || accept.trim() === '') return { json: true, sse: true };
  const a = accept.toLowerCase();
  const any = a.includes('*/*');
  return {
    json: any || a.includes('application/json') || a.includes('application/*'),
    sse: any || a.includes('text/event-stream') || a.includes('text/*'),
  };
}

/** One message of a POST body with the exact line to forward to stdin. */
export interface BodyMessage {
  msg: JsonRpcMessage;
  kind: MessageKind;
  /** The client's bytes when they are one line already; re-serialized otherwise. */
  line: string;
}

export type ParsedBody =
  | { ok: true; batch: boolean; messages: BodyMessage[] }
  | { ok: false; code: -32700 | -32600; message: string };

/** Parses a POST body into JSON-RPC messages, keeping the original text where it can. */
export function parseBody(text: string): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: -32700, message: 'Parse error: the body is not valid JSON' };
  }
  const batch = Array.isArray(value);
  const items: unknown[] = batch ? (value as unknown[]) : [value];
  if (items.length === 0) return { ok: false, code: -32600, message: 'Invalid Request: empty batch' };
  const messages: BodyMessage[] = [];
  // stdio framing is one message per line: forward the client's bytes unless they hold a line break.
  const oneLine = !batch && text.indexOf('\n') === -1 && text.indexOf('\r') === -1;
  for (const item of items) {
    const kind = messageKind(item);
    if (kind === undefined) {
      return { ok: false, code: -32600, message: 'Invalid Request: not a JSON-RPC 2.0 message' };
    }
    messages.push({ msg: item as JsonRpcMessage, kind, line: oneLine ? text : JSON.stringify(item) });
  }
  return { ok: true, batch, messages };
}

/** Answers 415 unless the body is declared JSON; true when it is. */
export function requireJson(req: IncomingMessage, res: ServerResponse, cors: OutgoingHttpHeaders): boolean {
  const type = req.headers['content-type'];
  if (type !== undefined && /^application\/json\b/i.test(type)) return true;
  replyError(
    res,
    415,
    RpcErrorCode.InvalidRequest,
    'Unsupported Media Type: Content-Type must be application/json',
    {
      headers: cors,
    },
  );
  return false;
}

/**
 * Reads and parses a POST body, answering 413 (over `limit`) or 400 (not JSON-RPC) itself;
 * undefined when it did (or the client went away).
 */
export async function readMessages(
  req: IncomingMessage,
  res: ServerResponse,
  cors: OutgoingHttpHeaders,
  limit: number,
): Promise<Extract<ParsedBody, { ok: true }> | undefined> {
  const body = await readBody(req, limit);
  if (!body.ok) {
    if (body.reason === 'too-large') {
      replyError(res, 413, RpcErrorCode.InvalidRequest, `Payload Too Large: the limit is ${limit} bytes`, {
        headers: { ...cors, Connection: 'close' },
      });
    }
    return undefined;
  }
  const parsed = parseBody(body.body.toString('utf8'));
  if (!parsed.ok) {
    replyError(res, 400, parsed.code, parsed.message, { headers: cors });
    return undefined;
  }
  return parsed;
}
