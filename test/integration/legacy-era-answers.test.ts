// PROTOCOL.md "Stateless requests" and "The 2026-07-28 bridge": a 2025-only stdio server behind
// Patchbay is served to 2026-07-28 clients by the bridge, so a stateless request gets a
// 2026-07-28 answer (never the old 400 / -32000); dual-era clients (@ai-sdk/mcp 2.x, the SDK 2.x
// client with default negotiation) work either way, modern or falling back to initialize.
import { resolve } from 'node:path';
import {
  Client as Client2,
  StreamableHTTPClientTransport as StreamableHTTPClientTransport2,
} from '@modelcontextprotocol/client';
import { createMCPClient as createMCPClient2 } from 'ai-sdk-mcp-2';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerRuntimeConfig } from '../../src/main/core/routing/server-runtime';
import { fixtureConfig } from '../support/engine-client';
import { cleanupAll, json, onCleanup, postRpc, serve } from '../support/http-wire';
import { repoRoot } from '../support/paths';

afterEach(cleanupAll);

const T = 30_000;

/** Two 2025-only stdio servers: our fixture and the published reference server. */
const LEGACY_SERVERS: [string, (mode: ServerRuntimeConfig['mode']) => ServerRuntimeConfig, string][] = [
  ['fixture-server', (mode) => fixtureConfig(mode), 'echo'],
  [
    'server-everything',
    (mode) => ({
      command: process.execPath,
      args: [
        resolve(repoRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'),
        'stdio',
      ],
      mode,
    }),
    'echo',
  ],
];

const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'dual-era', version: '1' },
};

describe.each(LEGACY_SERVERS)('a 2025-only server (%s) behind Patchbay', (_name, config, tool) => {
  it(
    'server/discover and an enveloped tools/call are answered by the bridge, without a session',
    async () => {
      const { port } = await serve(config('isolated'), { keepAliveMs: 60_000 });
      const discover = await postRpc(
        port,
        { jsonrpc: '2.0', id: 'd1', method: 'server/discover', params: { _meta: ENVELOPE } },
        { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'server/discover' },
      );
      expect(discover.status).toBe(200);
      expect(discover.headers['mcp-session-id']).toBeUndefined();
      const result = json(discover)['result'] as { supportedVersions: string[] };
      expect(result).toMatchObject({ resultType: 'complete', capabilities: { tools: {} } });
      expect(result.supportedVersions[0]).toBe('2026-07-28');
      const call = await postRpc(
        port,
        {
          jsonrpc: '2.0',
          id: 'c1',
          method: 'tools/call',
          params: { name: tool, arguments: { message: 'x-bridged', text: 'x-bridged' }, _meta: ENVELOPE },
        },
        { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': tool },
      );
      expect(call.status).toBe(200);
      expect(call.body).toContain('x-bridged');
      expect(call.body).toContain('"resultType":"complete"');
      // The 2026-07-28 header and envelope errors, as a modern endpoint gives them.
      const mismatched = await postRpc(
        port,
        { jsonrpc: '2.0', id: 'm1', method: 'server/discover', params: { _meta: ENVELOPE } },
        { 'mcp-protocol-version': '2025-11-25' },
      );
      const bare = await postRpc(
        port,
        { jsonrpc: '2.0', id: 'm2', method: 'server/discover', params: {} },
        { 'mcp-protocol-version': '2026-07-28' },
      );
      expect(mismatched.status).toBe(400);
      expect(json(mismatched)).toMatchObject({ id: 'm1', error: { code: -32020 } });
      expect(bare.status).toBe(400);
      expect(json(bare)).toMatchObject({ id: 'm2', error: { code: -32602 } });
    },
    T,
  );

  it.each(['isolated', 'shared'] as const)(
    '@ai-sdk/mcp 2.x lists tools and calls one (%s)',
    async (mode) => {
      const { url } = await serve(config(mode), { keepAliveMs: 60_000 });
      const errors: unknown[] = [];
      const client = await createMCPClient2({
        name: 'ai-sdk-2',
        transport: { type: 'http', url },
        onUncaughtError: (e: unknown) => errors.push(e),
      });
      onCleanup(() => client.close());
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).toContain(tool);
      const result = await client.callTool({
        name: tool,
        arguments: { message: 'hello 2.x', text: 'hello 2.x' },
      });
      expect(JSON.stringify(result.content)).toContain('hello 2.x');
      // Only the noise this client also reports against the SDK's own 2025 server: its GET
      // stream opened before any session exists (400), the empty-data priming event, and any
      // server notification (it handles none; server-everything sends log messages by itself).
      const unexpected = errors
        .map((e) => (e as Error).message)
        .filter((m) => !/GET SSE failed: 400|Failed to parse message|Unsupported message type/.test(m));
      expect(unexpected).toEqual([]);
    },
    T,
  );

  it(
    '@modelcontextprotocol/client 2.x with its default negotiation connects and calls a tool',
    async () => {
      const { url } = await serve(config('isolated'), { keepAliveMs: 60_000 });
      const client = new Client2({ name: 'sdk2-default', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport2(new URL(url)));
      onCleanup(() => client.close());
      const result = await client.callTool({ name: tool, arguments: { message: 'hi v2', text: 'hi v2' } });
      expect(JSON.stringify(result.content)).toContain('hi v2');
    },
    T,
  );
});
