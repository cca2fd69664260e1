/** Loopback names a browser may put in `Host` for a server bound to loopback. */
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * True when the `Host` header names this server on a loopback name and our port.
 * Refusing other names defeats DNS rebinding: a page on evil.example resolved to
 * 127.0.0.1 still sends `Host: evil.example`.
 */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (hostHeader === undefined) return false;
  const host = hostHeader.toLowerCase();
  return LOOPBACK_HOSTS.some((name) => host === `${name}:${port}`);
}
