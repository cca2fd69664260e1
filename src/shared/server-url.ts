// The one rule for the URL a client uses to reach a server: the manager's connect URLs, an
// endpoint's status URL, `patchbay run`'s printout and `serve`'s window all come from here.

/** A server's two client endpoints: Streamable HTTP and legacy HTTP+SSE. */
export interface ServerUrls {
  /** Streamable HTTP, e.g. `http://127.0.0.1:7301/mcp`. */
  url: string;
  /** Legacy HTTP+SSE, e.g. `http://127.0.0.1:7301/sse`. */
  sseUrl: string;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0']);

/**
 * The origin clients reach a listener bound to `host`:`port` on: a wildcard bind is reached
 * on loopback (nobody can connect to 0.0.0.0), an IPv6 address goes in brackets. A
 * `publicUrl` (a proxy or tunnel in front of Patchbay) replaces it, without a trailing slash.
 */
export function serverBaseUrl(host: string, port: number, publicUrl?: string): string {
  if (publicUrl !== undefined && publicUrl.trim() !== '') return publicUrl.trim().replace(/\/+$/, '');
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const reachable = WILDCARDS.has(bare) ? '127.0.0.1' : bare;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** The URLs clients paste for a server on `host`:`port` (or behind `publicUrl`), without a key. */
export function serverUrls(host: string, port: number, publicUrl?: string): ServerUrls {
  const base = serverBaseUrl(host, port, publicUrl);
  return { url: `${base}/mcp`, sseUrl: `${base}/sse` };
}
