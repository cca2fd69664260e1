import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, PatchbayError } from '../core/errors';
import { isAllowedHost } from './host-check';
import { createStaticHandler } from './static-server';

export interface HeadlessShellOptions {
  /** Directory holding the built renderer (index.html + assets). */
  rendererDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface HeadlessShell {
  url: string;
  close(): Promise<void>;
}

/** Serves the renderer over HTTP on loopback so the UI works in any browser. */
export async function startHeadlessShell(options: HeadlessShellOptions): Promise<HeadlessShell> {
  const host = options.host ?? '127.0.0.1';
  const serveStatic = createStaticHandler(options.rendererDir);
  let port = 0;

  const server = createServer((req, res) => {
    if (!isAllowedHost(req.headers.host, port)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Forbidden: unexpected Host header\n');
      return;
    }
    serveStatic(req, res).catch((err: unknown) => {
      console.error('patchbay: failed to serve', req.url, err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
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
    url: `http://${urlHost}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
