import type { IncomingMessage } from 'node:http';
import type { JsonRpcRequest } from '../jsonrpc/message';

const HEADER_MISMATCH = -32020;
const INVALID_PARAMS = -32602;

/**
 * Checks a 2026-07-28 request's headers against its body (docs/notes/mcp-2026-07-28.md b):
 * `MCP-Protocol-Version` must equal `_meta` protocolVersion; `Mcp-Method` and `Mcp-Name`,
 * when sent, must match the body. Returns the error to answer with, if any.
 */
export function checkStatelessHeaders(
  req: IncomingMessage,
  msg: JsonRpcRequest,
): { code: number; message: string } | undefined {
  const meta = msg.params?.['_meta'] as Record<string, unknown> | undefined;
  const version = meta?.['io.modelcontextprotocol/protocolVersion'];
  if (
    typeof version !== 'string' ||
    typeof meta?.['io.modelcontextprotocol/clientCapabilities'] !== 'object'
  ) {
    return {
      code: INVALID_PARAMS,
      message:
        'Invalid params: a request without a session must carry _meta io.modelcontextprotocol/protocolVersion and clientCapabilities',
    };
  }
  const headerVersion = single(req.headers['mcp-protocol-version']);
  if (headerVersion !== version) {
    return {
      code: HEADER_MISMATCH,
      message: `Header mismatch: MCP-Protocol-Version header value '${headerVersion ?? ''}' does not match body value '${version}'`,
    };
  }
  const method = single(req.headers['mcp-method']);
  if (method !== undefined && decode(method) !== msg.method) {
    return {
      code: HEADER_MISMATCH,
      message: `Header mismatch: Mcp-Method header value '${method}' does not match body value '${msg.method}'`,
    };
  }
  const name = single(req.headers['mcp-name']);
  const bodyName = msg.params?.['name'] ?? msg.params?.['uri'];
  if (name !== undefined && typeof bodyName === 'string' && decode(name) !== bodyName) {
    return {
      code: HEADER_MISMATCH,
      message: `Header mismatch: Mcp-Name header value '${name}' does not match body value '${bodyName}'`,
    };
  }
  return undefined;
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Header values that are not plain ASCII travel as `=?base64?<base64 of UTF-8>?=`. */
function decode(value: string): string {
  const m = /^=\?base64\?([A-Za-z0-9+/=]*)\?=$/.exec(value);
  return m ? Buffer.from(m[1]!, 'base64').toString('utf8') : value;
}
