// PROTOCOL.md "Stateless requests": where nothing behind the endpoint speaks 2026-07-28, a
// stateless request is answered as a 2025 server answers a session-less one (400 / -32000),
// never -32022 with legacy versions, so dual-era clients (@ai-sdk/mcp 2.x, the SDK 2.x client
// with default negotiation) fall back to initialize and work.
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
    'server/discover and an enveloped tools/call get 400 / -32000 JSON, naming no version',
    async () => {
      const { port } = await serve(config('isolated'), { keepAliveMs: 60_000 });
      for (const [id, method, params] of [
        ['d1', 'server/discover', {}],
        ['c1', 'tools/call', { name: tool, arguments: { message: 'x', text: 'x' } }],
      ] as const) {
        const x = await postRpc(
          port,
          { jsonrpc: '2.0', id, method, params: { ...params, _meta: ENVELOPE } },
          { 'mcp-protocol-version': '2026-07-28', 'mcp-method': method },
        );
        expect(x.status, method).toBe(400);
        expect(x.headers['content-type']).toMatch(/^application\/json/);
        expect(x.headers['mcp-session-id']).toBeUndefined();
        expect(json(x)).toMatchObject({ jsonrpc: '2.0', id, error: { code: -32000 } });
        expect(x.body).not.toContain('-32022');
        expect(x.body).not.toMatch(/20\d\d-\d\d-\d\d/); // claims no revision
      }
      // Nor the 2026-07-28 header or envelope errors (-32020, -32602): they also say "modern".
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
      for (const [x, id] of [
        [mismatched, 'm1'],
        [bare, 'm2'],
      ] as const) {
        expect(x.status).toBe(400);
        expect(json(x)).toMatchObject({ id, error: { code: -32000 } });
      }
    },
    T,
  );

  it.each(['isolated', 'shared'] as const)(
    '@ai-sdk/mcp 2.x falls back to initialize, lists tools and calls one (%s)',
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
    '@modelcontextprotocol/client 2.x with its default negotiation connects as 2025 and calls a tool',
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
