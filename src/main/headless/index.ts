import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiHub } from '../core/api/api-hub';
import { ErrorCode, PatchbayError } from '../core/errors';
import { isAllowedHost } from './host-check';
import { LaunchToken } from './launch-token';
import { createStaticHandler } from './static-server';
import { bindWebSocket } from './ws-binding';

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
  /** The URL to open, with the launch token in it. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the renderer and the contract (WebSocket) on loopback so the UI works in any
 * browser. Every request must carry the launch token and a loopback Host; the
 * WebSocket also checks Origin, so another site open in the browser cannot drive it.
 */
export async function startHeadlessShell(options: HeadlessShellOptions): Promise<HeadlessShell> {
  const host = options.host ?? '127.0.0.1';
  const serveStatic = createStaticHandler(options.rendererDir);
  const token = new LaunchToken();
  let port = 0;

  const ownOrigin = (origin: string | undefined) =>
    origin !== undefined && ['127.0.0.1', 'localhost', '[::1]'].some((h) => origin === `http://${h}:${port}`);

  const server = createServer((req, res) => {
    if (!isAllowedHost(req.headers.host, port)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Forbidden: unexpected Host header\n');
      return;
    }
    if (!token.matches(req)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Open the URL that `patchbay serve` printed: it carries this launch’s access token.\n');
      return;
    }
    if (token.fromQuery(req.url ?? '/') !== undefined) {
      // Trade the token in the URL for a cookie, and drop it from the address bar.
      const url = new URL(req.url ?? '/', 'http://x');
      url.searchParams.delete('token');
      res.writeHead(302, { Location: url.pathname + url.search, 'Set-Cookie': token.setCookieHeader() });
      res.end();
      return;
    }
    serveStatic(req, res).catch((err: unknown) => {
      console.error('patchbay: failed to serve', req.url, err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  const ws = options.hub
    ? bindWebSocket(
        options.hub,
        (req) => isAllowedHost(req.headers.host, port) && token.matches(req) && ownOrigin(req.headers.origin),
      )
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
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}/?token=${token.value}`,
    close: () =>
      new Promise<void>((resolve) => {
        ws?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
