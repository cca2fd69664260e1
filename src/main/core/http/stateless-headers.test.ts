import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { JsonRpcRequest } from '../jsonrpc/message';
import { checkStatelessHeaders, decode } from './stateless-headers';

const meta = (version = '2026-07-28') => ({
  'io.modelcontextprotocol/protocolVersion': version,
  'io.modelcontextprotocol/clientCapabilities': {},
});
const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const call = (args: Record<string, unknown>): JsonRpcRequest => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'deploy', arguments: args, _meta: meta() },
});
const modern = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'deploy' };

describe('decode', () => {
  it('decodes the base64 wrapper strictly; anything else is literal', () => {
    expect(decode('=?base64?SGVsbG8=?=')).toBe('Hello');
    expect(decode('=?base64?SGVsbG8?=')).toBeUndefined(); // no padding
    expect(decode('=?base64?SGVs!!!bG8=?=')).toBeUndefined();
    expect(decode('SGVsbG8=')).toBe('SGVsbG8=');
    expect(decode('=?base64?SGVsbG8=')).toBe('=?base64?SGVsbG8=');
  });
});

describe('checkStatelessHeaders', () => {
  it('requires Mcp-Method, and Mcp-Name where the body names something, only for 2026-07-28', () => {
    expect(checkStatelessHeaders(req(modern), call({}))).toBeUndefined();
    const { 'mcp-method': _m, ...noMethod } = modern;
    expect(checkStatelessHeaders(req(noMethod), call({}))?.code).toBe(-32020);
    const { 'mcp-name': _n, ...noName } = modern;
    expect(checkStatelessHeaders(req(noName), call({}))?.code).toBe(-32020);
    expect(checkStatelessHeaders(req({ ...modern, 'mcp-name': ' deploy ' }), call({}))).toBeUndefined();
    const list: JsonRpcRequest = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: meta() } };
    expect(
      checkStatelessHeaders(req({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' }), list),
    ).toBeUndefined();
    // Another revision: its server answers -32022; these headers are not asked for.
    const other: JsonRpcRequest = {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/list',
      params: { _meta: meta('2099-01-01') },
    };
    expect(checkStatelessHeaders(req({ 'mcp-protocol-version': '2099-01-01' }), other)).toBeUndefined();
  });

  it('checks Mcp-Param-* for the annotated arguments that have a value', () => {
    const annotated = new Map([
      ['region', 'Region'],
      ['count', 'Count'],
    ]);
    const check = (headers: Record<string, string>, args: Record<string, unknown>) =>
      checkStatelessHeaders(req({ ...modern, ...headers }), call(args), annotated)?.code;
    expect(check({ 'mcp-param-region': 'eu' }, { region: 'eu' })).toBeUndefined();
    expect(check({}, { region: null })).toBeUndefined();
    expect(check({}, { region: 'eu' })).toBe(-32020);
    expect(check({ 'mcp-param-region': 'us' }, { region: 'eu' })).toBe(-32020);
    expect(check({ 'mcp-param-count': '42.0' }, { count: 42 })).toBeUndefined();
    expect(check({ 'mcp-param-count': '41' }, { count: 42 })).toBe(-32020);
  });
});
