import { createServer } from 'node:net';

/** True when nothing listens on host:port now (we can bind it). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * A free port for a new server: from `start` upward (so URLs look alike: 7301, 7302…),
 * skipping ports other servers own even while they are stopped.
 */
export async function findFreePort(
  taken: ReadonlySet<number>,
  start = 7301,
  host = '127.0.0.1',
): Promise<number> {
  for (let port = start; port < start + 1000 && port <= 65535; port++) {
    if (!taken.has(port) && (await isPortFree(port, host))) return port;
  }
  // Crowded range: let the OS pick one.
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
