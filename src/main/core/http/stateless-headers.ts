import type { IncomingMessage } from 'node:http';
import type { JsonRpcRequest } from '../jsonrpc/message';
import { STATELESS_VERSION } from './protocol-versions';

const HEADER_MISMATCH = -32020;
const INVALID_PARAMS = -32602;

/** Requests whose `Mcp-Name` mirrors a body field (2026-07-28 [http] "Request Metadata"). */
const NAME_FIELD: Record<string, string> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
};

type Problem = { code: number; message: string };

/**
 * Checks a 2026-07-28 request's headers against its body (docs/notes/mcp-2026-07-28.md b):
 * `MCP-Protocol-Version` must equal `_meta` protocolVersion; a request claiming 2026-07-28
 * must carry `Mcp-Method`, and `Mcp-Name` on tools/call, prompts/get and resources/read, equal
 * to the body; `Mcp-Param-*` must mirror the tool arguments `paramHeaders` names (argument →
 * header name, from the tool's `x-mcp-header`). Returns the error to answer with, if any.
 */
export function checkStatelessHeaders(
  req: IncomingMessage,
  msg: JsonRpcRequest,
  paramHeaders?: ReadonlyMap<string, string>,
): Problem | undefined {
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
  const headerVersion = single(req, 'mcp-protocol-version');
  if (headerVersion !== version) {
    return mismatch('MCP-Protocol-Version', headerVersion, version);
  }
  // Other revisions get -32022 from whoever serves the request; the headers below are 2026-07-28's.
  if (version !== STATELESS_VERSION) return undefined;
  const method = single(req, 'mcp-method');
  if (method === undefined || decode(method) !== msg.method)
    return mismatch('Mcp-Method', method, msg.method);
  const field = NAME_FIELD[msg.method];
  const bodyName = field === undefined ? undefined : msg.params?.[field];
  if (typeof bodyName === 'string') {
    const name = single(req, 'mcp-name');
    if (name === undefined || decode(name) !== bodyName) return mismatch('Mcp-Name', name, bodyName);
  }
  if (paramHeaders && msg.method === 'tools/call') return checkParamHeaders(req, msg, paramHeaders);
  return undefined;
}

/**
 * `Mcp-Param-{Name}` for each argument the tool annotates with `x-mcp-header`: required when
 * the argument has a value, and equal to it (numbers compare numerically, so `42.0` matches 42;
 * SEP-2243 "Server behavior for custom headers"). A null or absent argument expects nothing.
 */
function checkParamHeaders(
  req: IncomingMessage,
  msg: JsonRpcRequest,
  paramHeaders: ReadonlyMap<string, string>,
): Problem | undefined {
  const args = msg.params?.['arguments'];
  if (typeof args !== 'object' || args === null) return undefined;
  for (const [arg, headerName] of paramHeaders) {
    const value = (args as Record<string, unknown>)[arg];
    if (value === undefined || value === null) continue;
    const header = `Mcp-Param-${headerName}`;
    const sent = single(req, header.toLowerCase());
    const got = sent === undefined ? undefined : decode(sent);
    const body = typeof value === 'string' ? value : JSON.stringify(value);
    const same =
      typeof value === 'number' ? got !== undefined && got !== '' && Number(got) === value : got === body;
    if (!same) return mismatch(header, sent, body);
  }
  return undefined;
}

function mismatch(header: string, sent: string | undefined, body: string): Problem {
  return {
    code: HEADER_MISMATCH,
    message:
      sent === undefined
        ? `Header mismatch: the ${header} header is required and must equal the body value '${body}'`
        : `Header mismatch: ${header} header value '${sent}' does not match body value '${body}'`,
  };
}

/** A header's value, surrounding whitespace dropped (RFC 9110 §5.5: OWS is not part of it). */
function single(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim();
}

const BASE64_WRAPPED = /^=\?base64\?(.*)\?=$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Header values that are not plain ASCII travel as `=?base64?<base64 of UTF-8>?=`; anything
 * without that exact wrapper is literal. A wrapped payload that is not valid padded Base64
 * decodes to nothing (undefined), so it matches no body value and the request is refused.
 */
export function decode(value: string): string | undefined {
  const m = BASE64_WRAPPED.exec(value);
  if (!m) return value;
  return BASE64.test(m[1]!) ? Buffer.from(m[1]!, 'base64').toString('utf8') : undefined;
}
