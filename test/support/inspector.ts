import { type ChildProcess, spawn } from 'node:child_process';
import WebSocket from 'ws';
import { cliBin, requireBuild } from './paths';

/**
 * A `patchbay` process started with the inspector on a loopback port, so a test can force
 * a full GC in it and read what its heap still holds: RSS alone cannot tell garbage not yet
 * collected from a leak.
 */
export interface InspectedCli {
  child: ChildProcess;
  /** The first match of `ready` in its stdout. */
  match: RegExpMatchArray;
  output(): string;
  /** Full GC in the process, then its process.memoryUsage(). */
  memoryAfterGc(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

export async function startInspectedCli(
  args: string[],
  ready: RegExp,
  timeoutMs = 15_000,
): Promise<InspectedCli> {
  requireBuild();
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', cliBin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  let match: RegExpMatchArray | null = null;
  let wsUrl: string | undefined;
  while (Date.now() < deadline && child.exitCode === null) {
    match = out.match(ready);
    wsUrl = /Debugger listening on (ws:\/\/\S+)/.exec(err)?.[1];
    if (match && wsUrl) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  if (!match || !wsUrl) {
    await stop();
    throw new Error(`patchbay ${args.join(' ')} did not start in time:\n${out}\n${err}`);
  }

  const ws = new WebSocket(wsUrl);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const call = (method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (data: WebSocket.RawData) => {
        const msg = JSON.parse((data as Buffer).toString('utf8')) as {
          id?: number;
          result?: Record<string, unknown>;
          error?: unknown;
        };
        if (msg.id !== id) return;
        ws.off('message', onMessage);
        if (msg.error) reject(new Error(`${method}: ${JSON.stringify(msg.error)}`));
        else resolve(msg.result ?? {});
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id, method, params }));
    });
  };

  return {
    child,
    match,
    output: () => out + err,
    async memoryAfterGc() {
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
      const r = await call('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      });
      return JSON.parse((r['result'] as { value: string }).value) as NodeJS.MemoryUsage;
    },
    async stop() {
      ws.close();
      await stop();
    },
  };
}
