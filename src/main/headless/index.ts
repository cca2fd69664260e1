import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiHub } from '../core/api/api-hub';
import { ErrorCode, PatchbayError } from '../core/errors';
import { isCrossSiteRequest } from '../core/http/access-policy';
import { isAllowedHost } from './host-check';
import { LaunchToken } from './launch-token';
import { createStaticHandler } from './static-server';
import { localRedirectTarget, setUiSecurityHeaders } from './ui-headers';
import { bindWebSocket } from './ws-binding';
import { serverBaseUrl } from '@shared/server-url';

export const UI_SERVER_LIMITS = {
  /** Slow or silent clients lose their connection after this; the UI's requests are tiny. */
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  /** One user's tabs need a few dozen at most; a flood is refused rather than served. */
  maxConnections: 256,
} as const;

export interface HeadlessShellOptions {
  /** Directory holding the built renderer (index.html + assets). */
  rendererDir: string;
  /** The contract's engine side; without it only the static UI is served. */
  hub?: ApiHub;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface HeadlessShell {
  /** The URL to open, with the launch token in its fragment. */
  url: string;
  /** The launch token alone (what the page sends as the WebSocket's first message). */
  token: string;
  close(): Promise<void>;
}

/**
 * Serves the renderer and the contract (WebSocket) on loopback so the UI works in any
 * browser. The static UI needs no credential; the WebSocket checks Host and Origin on the
 * upgrade and the launch token in its first message, so neither another site open in the
 * browser nor another local program can drive it. Cross-site requests are refused.
 */
export async function startHeadlessShell(options: HeadlessShellOptions): Promise<HeadlessShell> {
  const host = options.host ?? '127.0.0.1';
  const serveStatic = createStaticHandler(options.rendererDir);
  const token = new LaunchToken();
  let port = 0;

  const ownOrigin = (origin: string | undefined) =>
    origin !== undefined && ['127.0.0.1', 'localhost', '[::1]'].some((h) => origin === `http://${h}:${port}`);

  // Timeouts are checked every second (node's default is 30 s) so a stalled client goes soon.
  const server = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
    setUiSecurityHeaders(res);
    if (!isAllowedHost(req.headers.host, port)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Forbidden: unexpected Host header\n');
      return;
    }
    // A top-level navigation to the page is fine from anywhere (a link, the --open file):
    // the page is static and holds no credential. Anything else cross-site is refused.
    const navigation = req.headers['sec-fetch-mode'] === 'navigate' && req.method === 'GET';
    if (!navigation && isCrossSiteRequest(req)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Forbidden: cross-site request\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.searchParams.has('token')) {
      // An old-style `?token=` link: the token is not honoured; drop it from the address bar.
      url.searchParams.delete('token');
      res.writeHead(302, { Location: localRedirectTarget(url.pathname, url.search) });
      res.end();
      return;
    }
    serveStatic(req, res).catch((err: unknown) => {
      console.error('patchbay: failed to serve', req.url, err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.headersTimeout = UI_SERVER_LIMITS.headersTimeoutMs;
  server.requestTimeout = UI_SERVER_LIMITS.requestTimeoutMs;
  server.maxConnections = UI_SERVER_LIMITS.maxConnections;

  const ws = options.hub
    ? bindWebSocket(options.hub, {
        allowUpgrade: (req) =>
          isAllowedHost(req.headers.host, port) && ownOrigin(req.headers.origin) && !isCrossSiteRequest(req),
        tokenMatches: (given) => token.matches(given),
      })
    : undefined;
  server.on('upgrade', (req, socket, head) => {
    if (ws) ws.upgrade(req, socket, head);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new PatchbayError(
            ErrorCode.PortInUse,
            `Port ${options.port} on ${host} is used by another program. Pass --port <n>, or --port 0 for any free port.`,
            { cause: err },
          ),
        );
      } else {
        reject(err);
      }
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `${serverBaseUrl(host, port)}/#token=${token.value}`,
    token: token.value,
    close: () =>
      new Promise<void>((resolve) => {
        ws?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
