import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

/** Who may reach an endpoint: Host and Origin rules (DNS rebinding), CORS and the bearer token. */
export interface AccessOptions {
  port: number;
  /** Extra `Host` values accepted besides loopback names with our port (`host:port`). */
  allowedHosts?: readonly string[];
  /** Extra origins accepted besides http://localhost|127.0.0.1|[::1]:PORT (browser-based clients). */
  allowedOrigins?: readonly string[];
  /** When set, every request must carry `Authorization: Bearer <token>`. */
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

  constructor(options: AccessOptions & { host?: string }) {
    this.anyHost =
      options.host !== undefined && !isLoopbackHost(options.host) && !options.allowedHosts?.length;
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
    if (this.token && req.method !== 'OPTIONS' && !this.tokenMatches(req.headers.authorization)) {
      return {
        ok: false,
        status: 401,
        message: 'Unauthorized: send Authorization: Bearer <token>',
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

  private tokenMatches(header: string | undefined): boolean {
    if (!this.token || header === undefined) return false;
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) return false;
    const given = Buffer.from(match[1]!.trim());
    return given.length === this.token.length && timingSafeEqual(given, this.token);
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

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.');
}
