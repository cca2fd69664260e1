import type { JsonRpcRequest } from '../../jsonrpc/message';

export const SERVER_INFO = 'io.modelcontextprotocol/serverInfo';
export const SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId';
const ENVELOPE_PREFIX = 'io.modelcontextprotocol/';

/** Results a 2026-07-28 client may cache: they carry `ttlMs` and `cacheScope`. */
const CACHEABLE = new Set([
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
]);

/** The 2026-07-28 requests the bridge serves; anything else (removed ones too) is 404 + -32601. */
export const MODERN_METHODS = new Set([
  'server/discover',
  'subscriptions/listen',
  'tools/list',
  'tools/call',
  'prompts/list',
  'prompts/get',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'completion/complete',
]);

export type Info = { name?: string; version?: string } | undefined;

/**
 * A legacy result as 2026-07-28 requires it: `resultType`, serverInfo in `_meta`, and
 * `ttlMs`/`cacheScope` on cacheable results (never cached by us: ttl 0, private).
 */
export function modernResult(method: string, result: unknown, serverInfo: Info): Record<string, unknown> {
  const r = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
  const meta = typeof r['_meta'] === 'object' && r['_meta'] !== null ? r['_meta'] : {};
  const out: Record<string, unknown> = { ...r, resultType: r['resultType'] ?? 'complete' };
  out['_meta'] = serverInfo ? { ...meta, [SERVER_INFO]: serverInfo } : meta;
  if (CACHEABLE.has(method)) {
    out['ttlMs'] ??= 0;
    out['cacheScope'] ??= 'private';
  }
  return out;
}

/** 2025's "resource not found" (-32002); 2026-07-28 says -32602 (SEP-2164). */
const LEGACY_RESOURCE_NOT_FOUND = -32002;

/** A legacy error as 2026-07-28 words it: resource-not-found on `resources/read` becomes -32602. */
export function modernError<E extends { code: number }>(method: string, error: E): E {
  if (method === 'resources/read' && error.code === LEGACY_RESOURCE_NOT_FOUND)
    return { ...error, code: -32602 };
  return error;
}

/**
 * The params a legacy server gets for a modern request: the envelope keys leave `_meta`
 * (a 2025 server has no use for them); the progress token is replaced by `progressToken`.
 */
export function legacyParams(
  msg: JsonRpcRequest,
  progressToken: string | undefined,
): Record<string, unknown> | undefined {
  if (!msg.params) return undefined;
  const { _meta, ...rest } = msg.params as { _meta?: Record<string, unknown> } & Record<string, unknown>;
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(_meta ?? {})) {
    if (!k.startsWith(ENVELOPE_PREFIX) && k !== 'progressToken') meta[k] = v;
  }
  if (progressToken !== undefined) meta['progressToken'] = progressToken;
  delete rest['inputResponses'];
  delete rest['requestState'];
  return Object.keys(meta).length > 0 ? { ...rest, _meta: meta } : rest;
}

/** A stable key for a client-capabilities object (key order does not matter). */
export function capabilitiesKey(caps: unknown): string {
  return JSON.stringify(sortKeys(caps));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
  return out;
}
