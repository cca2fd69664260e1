// A `patchbay run` process fronting one stdio server, as the client interop tests use it.
import { expect } from 'vitest';
import { type RunningCli, startCli } from './cli-process';
import { repoRoot } from './paths';

/** A `patchbay run` process and its two endpoints. */
export interface Proxy {
  cli: RunningCli;
  mcpUrl: string;
  sseUrl: string;
}

export type RoutingMode = 'isolated' | 'shared';

// The URLs as printed, `?key=…` included when the proxy requires a key: they work as-is.
const READY = /Streamable HTTP\s+(http:\/\/\S+\/mcp\S*)\s+Legacy SSE\s+(http:\/\/\S+\/sse\S*)/;

/** `node <server-everything> stdio`: the published reference server (2025 revisions only). */
export const EVERYTHING_COMMAND = [
  process.execPath,
  `${repoRoot}/node_modules/@modelcontextprotocol/server-everything/dist/index.js`,
  'stdio',
];

/** Starts `patchbay run --port 0 --mode <mode> [options…] -- <command…>` with default limits. */
export async function startProxy(
  mode: RoutingMode,
  command: string[],
  options: string[] = [],
): Promise<Proxy> {
  const cli = await startCli(['run', '--port', '0', '--mode', mode, ...options, '--', ...command], READY);
  return { cli, mcpUrl: cli.match[1]!, sseUrl: cli.match[2]! };
}

/** Stops the proxy and checks it went cleanly (exit code 0 on SIGTERM). */
export async function stopProxy(proxy: Proxy | undefined): Promise<void> {
  if (!proxy) return;
  const code = await proxy.cli.stop('SIGTERM');
  expect(code, proxy.cli.output()).toBe(0);
}

/** The first text content of a tool result; throws when there is none. */
export function firstText(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content;
  const first = content?.[0];
  if (first?.type !== 'text') throw new Error(`no text content in ${JSON.stringify(result).slice(0, 500)}`);
  return first.text ?? '';
}
