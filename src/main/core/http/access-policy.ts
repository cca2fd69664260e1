import { timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

/** Who may reach an endpoint: Host and Origin rules (DNS rebinding), CORS and the bearer token. */
export interface AccessOptions {
  port: number;
  /** Extra `Host` values accepted besides loopback names with our port (`host:port`). */
  allowedHosts?: readonly string[];
  /** Extra origins accepted besides http://localhost|127.0.0.1|[::1]:PORT (browser-based clients). */
  allowedOrigins?: readonly string[];
  /**
   * When set, every request must carry it: `Authorization: Bearer <token>`, or as the
   * capability URL's `?key=<token>` (for clients that cannot send headers).
   */
  token?: string;
}

export type AccessVerdict =
  | { ok: true; cors: OutgoingHttpHeaders }
  | { ok: false; status: 401 | 403; message: string; headers: OutgoingHttpHeaders };

const ALLOW_HEADERS =
  'content-type, accept, authorization, mcp-session-id, mcp-protocol-version, last-event-id, mcp-method, mcp-name';
// Without exposing these a browser client cannot read its own session id.
const EXPOSE_HEADERS = 'Mcp-Session-Id, MCP-Protocol-Version';

/** Decides per request; built once per endpoint so the hot path does set lookups only. */
export class AccessPolicy {
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;
  /** Origins the user listed for browser-based clients: the only cross-site callers let in. */
  private readonly extraOrigins: Set<string>;
  private readonly token: Buffer | undefined;
  /** Bound beyond loopback (token required) with no host list: any Host is accepted. */
  private readonly anyHost: boolean;

  /** `loopback`: what `bindsToLoopbackOnly(host)` found (names need resolving first). */
  constructor(options: AccessOptions & { host?: string; loopback?: boolean }) {
    this.anyHost =
      options.host !== undefined &&
      !(options.loopback ?? isLoopbackHost(options.host)) &&
      !options.allowedHosts?.length;
    const loopback = ['127.0.0.1', 'localhost', '[::1]'];
    this.hosts = new Set(
      [...loopback.map((h) => `${h}:${options.port}`), ...(options.allowedHosts ?? [])].map(lower),
    );
    this.origins = new Set(
      [...loopback.map((h) => `http://${h}:${options.port}`), ...(options.allowedOrigins ?? [])].map(lower),
    );
    this.extraOrigins = new Set((options.allowedOrigins ?? []).map(lower));
    this.token = options.token ? Buffer.from(options.token) : undefined;
  }

  /** Checks Host, Origin and (unless it is a CORS preflight) the token. */
  check(req: IncomingMessage): AccessVerdict {
    const host = req.headers.host;
    if (host === undefined || (!this.anyHost && !this.hosts.has(host.toLowerCase()))) {
      return {
        ok: false,
        status: 403,
        message: `Forbidden: Host "${host ?? ''}" is not allowed`,
        headers: {},
      };
    }
    const origin = req.headers.origin;
    // A page must never make the browser start a session or a process: no-cors requests
    // (`<img src=/sse>`) carry no Origin, but browsers mark them with Sec-Fetch-Site.
    if (isCrossSiteRequest(req) && !(origin !== undefined && this.extraOrigins.has(origin.toLowerCase()))) {
      return {
        ok: false,
        status: 403,
        message: `Forbidden: cross-site browser request (Sec-Fetch-Site: ${String(req.headers['sec-fetch-site'])})`,
        headers: {},
      };
    }
    let cors: OutgoingHttpHeaders = {};
    if (origin !== undefined) {
      if (!this.origins.has(origin.toLowerCase())) {
        return {
          ok: false,
          status: 403,
          message: `Forbidden: Origin "${origin}" is not allowed`,
          headers: {},
        };
      }
      cors = {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Expose-Headers': EXPOSE_HEADERS,
        Vary: 'Origin',
      };
    }
    if (this.token && req.method !== 'OPTIONS' && !this.keyMatches(req)) {
      return {
        ok: false,
        status: 401,
        message: 'Unauthorized: send Authorization: Bearer <key>, or use the URL with ?key=<key>',
        headers: { ...cors, 'WWW-Authenticate': 'Bearer' },
      };
    }
    return { ok: true, cors };
  }

  /** Headers answering a CORS preflight from an allowed origin. */
  preflight(cors: OutgoingHttpHeaders): OutgoingHttpHeaders {
    return {
      ...cors,
      'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': ALLOW_HEADERS,
      'Access-Control-Max-Age': '86400',
    };
  }

  /** The key from the Authorization header or the URL's `key` parameter, compared in constant time. */
  private keyMatches(req: IncomingMessage): boolean {
    const header = req.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(.+)$/i.exec(header);
    if (match && this.equalsToken(match[1]!.trim())) return true;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    if (q === -1) return false;
    const key = new URLSearchParams(url.slice(q + 1)).get('key');
    return key !== null && this.equalsToken(key);
  }

  private equalsToken(given: string): boolean {
    if (!this.token) return false;
    const bytes = Buffer.from(given);
    return bytes.length === this.token.length && timingSafeEqual(bytes, this.token);
  }
}

/**
 * True for a browser request another site (or another port) made: `Sec-Fetch-Site`
 * present and neither `same-origin` nor `none` (typed or opened by the user). Clients
 * outside browsers send no `Sec-Fetch-*` at all.
 */
export function isCrossSiteRequest(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

function lower(s: string): string {
  return s.toLowerCase();
}

/**
 * True for an IP address only this machine can reach: 127.0.0.0/8, ::1, and 127/8 mapped
 * into IPv6. Decided by the address, never by a name's spelling (`127.attacker.example`).
 */
export function isLoopbackHost(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const version = isIP(address);
  if (version === 4) return address.startsWith('127.');
  if (version !== 6) return false;
  if (address === '::1' || address === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  return mapped !== null && mapped[1]!.startsWith('127.');
}

/**
 * True when binding to `host` stays on this machine: an IP literal is checked as is; a
 * name is resolved and every address it has must be loopback (`localhost` is, by its
 * addresses). A name that does not resolve is not loopback.
 */
export async function bindsToLoopbackOnly(host: string): Promise<boolean> {
  if (isIP(host.replace(/^\[(.*)\]$/, '$1')) !== 0) return isLoopbackHost(host);
  const addresses = await lookup(host, { all: true }).catch(() => []);
  return addresses.length > 0 && addresses.every((a) => isLoopbackHost(a.address));
}
