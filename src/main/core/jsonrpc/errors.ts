import type { JsonRpcId, JsonRpcResponse } from './message';

/** JSON-RPC and MCP error codes the proxy produces itself. */
export const RpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** The SDKs use -32000 for "connection closed"; a dead stdio server is exactly that. */
  ConnectionClosed: -32000,
  /** The proxy cannot take more work for this server right now. */
  ServerBusy: -32001,
} as const;

/** Builds an error response; `id` null when the request could not be read. */
export function errorResponse(
  id: JsonRpcId | null,
  code: number,
  message: string,
  data?: unknown,
): JsonRpcResponse {
  const error = data === undefined ? { code, message } : { code, message, data };
  return { jsonrpc: '2.0', id, error };
}
