// PROTOCOL.md "The 2026-07-28 bridge": a modern-only client (@modelcontextprotocol/client 2.x
// pinned to 2026-07-28, no fallback) uses @modelcontextprotocol/server-everything, a 2025-only
// stdio server, through Patchbay: tools, progress, an elicitation (MRTR) and a listen stream.
import { resolve } from 'node:path';
import {
  Client as Client2,
  StreamableHTTPClientTransport as StreamableHTTPClientTransport2,
} from '@modelcontextprotocol/client';
import { createMCPClient as createMCPClient2 } from 'ai-sdk-mcp-2';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupAll, onCleanup, serve } from '../support/http-wire';
import { repoRoot } from '../support/paths';
import { until } from '../support/processes';

afterEach(cleanupAll);

const EVERYTHING = resolve(repoRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

describe.each(['isolated', 'shared'] as const)('a modern-only client on server-everything (%s)', (mode) => {
  it(
    'lists tools, calls one with progress, answers an elicitation and listens to a resource',
    { timeout: 40_000 },
    async () => {
      const { url, runtime } = await serve(
        { command: process.execPath, args: [EVERYTHING, 'stdio'], mode },
        { keepAliveMs: 60_000 },
      );
      const client = new Client2(
        { name: 'sdk2-modern-only', version: '1.0.0' },
        { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
      );
      await client.connect(new StreamableHTTPClientTransport2(new URL(url)));
      onCleanup(() => client.close());
      expect(client.getProtocolEra()).toBe('modern');
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');

      const tools = (await client.listTools()).tools.map((t) => t.name);
      expect(tools).toContain('echo');
      // Registered by server-everything only for a client declaring elicitation: the legacy
      // session was initialized with this client's capabilities.
      expect(tools).toContain('trigger-elicitation-request');

      const progress: number[] = [];
      const long = await client.callTool(
        { name: 'trigger-long-running-operation', arguments: { duration: 0.4, steps: 4 } },
        { onprogress: (p) => progress.push(p.progress) },
      );
      expect(JSON.stringify(long.content)).toContain('Long running operation completed');
      expect(progress).toEqual([1, 2, 3, 4]);

      const asked: string[] = [];
      client.setRequestHandler('elicitation/create', (request) => {
        asked.push(request.params.message);
        return { action: 'accept', content: { name: 'Ada Lovelace', check: true, email: 'ada@example.com' } };
      });
      const elicited = await client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
      expect(asked).toHaveLength(1);
      expect(JSON.stringify(elicited.content)).toContain('Ada Lovelace');

      const uri = 'demo://resource/static/document/architecture.md';
      const updated: string[] = [];
      client.setNotificationHandler('notifications/resources/updated', (n) => {
        updated.push(n.params.uri);
      });
      const sub = await client.listen({ resourceSubscriptions: [uri] });
      expect(sub.honoredFilter.resourceSubscriptions).toEqual([uri]);
      // server-everything sends simulated updates every 5 s to subscribed sessions once toggled on.
      await client.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
      await until(() => updated.length > 0, 20_000, 'notifications/resources/updated');
      expect(updated[0]).toBe(uri);
      await sub.close();
      // All of it ran on one legacy session Patchbay keeps (one capabilities set).
      expect(
        runtime.listSessions().filter((s) => s.client.clientInfo?.name === 'patchbay-bridge'),
      ).toHaveLength(1);
    },
  );

  it(
    "@ai-sdk/mcp 2.x takes the modern path: no legacy session of its own, only the bridge's",
    { timeout: 40_000 },
    async () => {
      const { url, runtime } = await serve(
        { command: process.execPath, args: [EVERYTHING, 'stdio'], mode },
        { keepAliveMs: 60_000 },
      );
      const client = await createMCPClient2({ name: 'ai-sdk-2', transport: { type: 'http', url } });
      onCleanup(() => client.close());
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).toContain('echo');
      const result = await client.callTool({ name: 'echo', arguments: { message: 'modern ai-sdk' } });
      expect(JSON.stringify(result.content)).toContain('modern ai-sdk');
      // It never initialized a session: every session is one the bridge keeps.
      const names = runtime.listSessions().map((s) => s.client.clientInfo?.name);
      expect(names.length).toBeGreaterThan(0);
      expect(names.every((n) => n === 'patchbay-bridge')).toBe(true);
    },
  );
});
