/** JSON-RPC 2.0 ids: strings or numbers (null only in error responses to unreadable requests). */
export type JsonRpcId = string | number;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: JsonRpcId;
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: JsonRpcId | null;
  result?: unknown;
  error?: JsonRpcErrorObject;
}

export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

export type MessageKind = 'request' | 'notification' | 'response';

/** Classifies a parsed value; `undefined` when it is not a JSON-RPC 2.0 message at all. */
export function messageKind(value: unknown): MessageKind | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const m = value as Record<string, unknown>;
  if (m['jsonrpc'] !== '2.0') return undefined;
  const hasId = 'id' in m;
  const id = m['id'];
  if (typeof m['method'] === 'string') {
    if (!hasId) return 'notification';
    return isId(id) ? 'request' : undefined;
  }
  if (hasId && (isId(id) || id === null) && ('result' in m || isErrorObject(m['error']))) return 'response';
  return undefined;
}

function isId(id: unknown): id is JsonRpcId {
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
}

function isErrorObject(e: unknown): boolean {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'number';
}

/** A map key that keeps `1` and `"1"` apart, as JSON-RPC requires. */
export function idKey(id: JsonRpcId): string | number {
  return typeof id === 'number' ? id : `s:${id}`;
}

export function isRequest(m: JsonRpcMessage): m is JsonRpcRequest {
  return 'method' in m && 'id' in m;
}

export function isNotification(m: JsonRpcMessage): m is JsonRpcNotification {
  return 'method' in m && !('id' in m);
}

export function isResponse(m: JsonRpcMessage): m is JsonRpcResponse {
  return !('method' in m);
}

/** The progress token a request asked for in `params._meta.progressToken`, if any. */
export function progressTokenOf(m: JsonRpcRequest): JsonRpcId | undefined {
  const meta = m.params?.['_meta'];
  if (typeof meta !== 'object' || meta === null) return undefined;
  const token = (meta as Record<string, unknown>)['progressToken'];
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}
