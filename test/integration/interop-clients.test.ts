// Real, independently written MCP clients against real `patchbay run` processes: the AI SDK's
// MCP client, the 2.x SDK client (2026-07-28 negotiation and its 2025 fallback), the MCP
// Inspector CLI and the 1.x SDK client, over Streamable HTTP (/mcp) and legacy SSE (/sse).
// The per-client matrix of issue 14 (every client × both modes × a 2025-only and a 2026-07-28
// server) is in interop-matrix.test.ts and interop-python.test.ts; this file goes deeper.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { delimiter, dirname } from 'node:path';
import { createMCPClient, ElicitationRequestSchema, type MCPClient } from '@ai-sdk/mcp';
import {
  Client as Client2,
  StreamableHTTPClientTransport as StreamableHTTPClientTransport2,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
  type LoggingMessageNotification,
  type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingFetch } from '../support/client-fetch';
import { FIXTURE, STATELESS_FIXTURE } from '../support/engine-client';
import { firstText, type Proxy, startProxy, stopProxy } from '../support/patchbay-proxy';
import { until, waitGone } from '../support/processes';

const require = createRequire(import.meta.url);

/** Calls `read` until `ok` accepts its value; returns that value, or throws after `timeoutMs`. */
async function poll<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Tools every fixture build has; a list without them means the proxy served the wrong thing. */
const FIXTURE_TOOLS = ['echo', 'slow', 'log', 'sample', 'elicit'];
const STATELESS_TOOLS = ['echo', 'slow', 'cancelled', 'whoami', 'notify', 'ask'];

// ---------------------------------------------------------------------------------------

describe('@ai-sdk/mcp through patchbay (2025 fixture)', () => {
  let proxy: Proxy;
  beforeAll(async () => {
    proxy = await startProxy('isolated', [process.execPath, FIXTURE]);
  });
  afterAll(() => stopProxy(proxy));

  async function aiClient(type: 'http' | 'sse', url: string, recorder = recordingFetch()) {
    const errors: unknown[] = [];
    const client: MCPClient = await createMCPClient({
      name: 'ai-sdk-interop',
      transport: { type, url, fetch: recorder.fetch },
      capabilities: { elicitation: {} },
      onUncaughtError: (e) => errors.push(e),
    });
    return { client, errors, seen: recorder.seen };
  }

  /**
   * What @ai-sdk/mcp 1.0.101 reports through onUncaughtError that is not about our framing:
   * it opens its GET stream before `initialize` (so without Mcp-Session-Id: 400, as the spec
   * says; it only stays quiet on 405), and it JSON-parses the 2025-11-25 priming event's empty
   * `data:`. Anything else (a frame it could not parse, a failed POST) is ours.
   */
  function unexpected(errors: unknown[]): string[] {
    return errors
      .filter((e) => {
        const message = e instanceof Error ? e.message : String(e);
        if (message === 'MCP HTTP Transport Error: GET SSE failed: 400 Bad Request') return false;
        const cause = e instanceof Error ? (e.cause as { text?: unknown } | undefined) : undefined;
        return !(message.endsWith('Failed to parse message') && cause?.text === '');
      })
      .map((e) => (e instanceof Error ? `${e.message} (${String(e.cause)})` : String(e)));
  }

  async function callTool(client: MCPClient, name: string, args: Record<string, unknown>) {
    const tools = await client.tools();
    const tool = tools[name];
    if (!tool?.execute) throw new Error(`tool ${name} missing from ${Object.keys(tools).join(', ')}`);
    return (await tool.execute(args, { toolCallId: `call-${name}`, messages: [] })) as unknown;
  }

  it('lists tools and calls echo over Streamable HTTP', { timeout: 10_000 }, async () => {
    const { client, seen, errors } = await aiClient('http', proxy.mcpUrl);
    try {
      const listed = await client.listTools();
      expect(listed.tools.map((t) => t.name)).toEqual(expect.arrayContaining(FIXTURE_TOOLS));
      expect(firstText(await callTool(client, 'echo', { text: 'hello from ai-sdk' }))).toBe(
        'hello from ai-sdk',
      );
      expect(client.serverInfo.name).toBe('patchbay-fixture');
      // It ran a real Streamable HTTP session through the proxy, with its GET stream open.
      expect(seen.find((r) => r.sessionId)?.sessionId).toMatch(/\S/);
      await until(
        () => seen.some((r) => r.method === 'GET' && r.status === 200),
        3000,
        'the GET stream (opened once initialized)',
      );
      await new Promise((r) => setTimeout(r, 100)); // let its first frames arrive
      expect(unexpected(errors)).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('reads an SSE-framed POST response: elicitation answered mid-call', { timeout: 10_000 }, async () => {
    const { client, seen, errors } = await aiClient('http', proxy.mcpUrl);
    try {
      const asked: string[] = [];
      client.onElicitationRequest(ElicitationRequestSchema, (request) => {
        asked.push(request.params.message);
        return { action: 'accept', content: { name: 'Ada' } };
      });
      const before = seen.length;
      const result = await callTool(client, 'elicit', { message: 'Your name?' });
      expect(asked).toEqual(['Your name?']);
      expect(JSON.parse(firstText(result))).toEqual({ action: 'accept', content: { name: 'Ada' } });
      // The tools/call answer came as an SSE stream (the server request travelled on it).
      expect(seen.slice(before).some((r) => r.contentType.startsWith('text/event-stream'))).toBe(true);
      expect(unexpected(errors)).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('answers elicitation over its legacy SSE transport (/sse)', { timeout: 10_000 }, async () => {
    const { client, errors } = await aiClient('sse', proxy.sseUrl);
    try {
      client.onElicitationRequest(ElicitationRequestSchema, () => ({
        action: 'accept',
        content: { name: 'Grace' },
      }));
      const result = await callTool(client, 'elicit', { message: 'Name?' });
      expect(JSON.parse(firstText(result))).toEqual({ action: 'accept', content: { name: 'Grace' } });
      expect(unexpected(errors)).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('lists tools and calls echo over its legacy SSE transport (/sse)', { timeout: 10_000 }, async () => {
    const { client, seen, errors } = await aiClient('sse', proxy.sseUrl);
    try {
      const listed = await client.listTools();
      expect(listed.tools.map((t) => t.name)).toEqual(expect.arrayContaining(FIXTURE_TOOLS));
      expect(firstText(await callTool(client, 'echo', { text: 'over sse' }))).toBe('over sse');
      expect(seen[0]).toMatchObject({ method: 'GET', status: 200 });
      expect(seen[0]?.contentType).toMatch(/^text\/event-stream/);
      expect(unexpected(errors)).toEqual([]);
    } finally {
      await client.close();
    }
  });
});

// ---------------------------------------------------------------------------------------

describe('@modelcontextprotocol/client 2.x through patchbay', () => {
  const proxies: Proxy[] = [];
  afterAll(async () => {
    for (const p of proxies.splice(0)) await stopProxy(p);
  });

  async function connect2(url: string) {
    const recorder = recordingFetch();
    const transport = new StreamableHTTPClientTransport2(new URL(url), { fetch: recorder.fetch });
    const client = new Client2(
      { name: 'sdk2-interop', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto', probe: { timeoutMs: 5000 } } },
    );
    await client.connect(transport);
    return { client, transport, seen: recorder.seen };
  }

  for (const mode of ['isolated', 'shared'] as const) {
    it(
      `negotiates 2026-07-28 statelessly with the dual-era fixture (${mode})`,
      { timeout: 15_000 },
      async () => {
        const proxy = await startProxy(mode, [process.execPath, STATELESS_FIXTURE]);
        proxies.push(proxy);
        const { client, transport, seen } = await connect2(proxy.mcpUrl);
        try {
          expect(client.getProtocolEra()).toBe('modern');
          expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
          expect(client.getDiscoverResult()?.supportedVersions).toContain('2026-07-28');

          const listed = await client.listTools();
          expect(listed.tools.map((t) => t.name)).toEqual(expect.arrayContaining(STATELESS_TOOLS));
          expect(firstText(await client.callTool({ name: 'echo', arguments: { text: 'modern hi' } }))).toBe(
            'modern hi',
          );
          // The server saw the per-request envelope the client attached: the call went through statelessly.
          const whoami = JSON.parse(
            firstText(await client.callTool({ name: 'whoami', arguments: {} })),
          ) as Record<string, unknown>;
          expect(whoami['io.modelcontextprotocol/protocolVersion']).toBe('2026-07-28');

          // No session anywhere: no Mcp-Session-Id on any response, none kept by the transport.
          expect(seen.length).toBeGreaterThanOrEqual(3);
          expect(seen.filter((r) => r.sessionId !== null)).toEqual([]);
          expect(transport.sessionId).toBeUndefined();
        } finally {
          await client.close();
        }
      },
    );
  }

  const legacyServers = [
    { name: 'stateless-server.mjs --legacy-only', fixture: STATELESS_FIXTURE, flags: ['--legacy-only'] },
    { name: 'fixture-server.mjs', fixture: FIXTURE, flags: [] },
  ].flatMap((server) => (['isolated', 'shared'] as const).map((mode) => ({ ...server, mode })));
  for (const server of legacyServers) {
    it(
      `speaks 2026-07-28 through the bridge to ${server.name} (${server.mode})`,
      { timeout: 15_000 },
      async () => {
        const proxy = await startProxy(server.mode, [process.execPath, server.fixture, ...server.flags]);
        proxies.push(proxy);
        const { client, transport } = await connect2(proxy.mcpUrl);
        try {
          // PROTOCOL.md "The 2026-07-28 bridge": the 2025-only server is modern through Patchbay.
          expect(client.getProtocolEra()).toBe('modern');
          expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
          expect(transport.sessionId).toBeUndefined();
          const listed = await client.listTools();
          expect(listed.tools.map((t) => t.name)).toContain('echo');
          expect(firstText(await client.callTool({ name: 'echo', arguments: { text: 'legacy hi' } }))).toBe(
            'legacy hi',
          );
        } finally {
          await client.close();
        }
      },
    );
  }
});

// ---------------------------------------------------------------------------------------

describe.each(['isolated', 'shared'] as const)(
  '@modelcontextprotocol/client 2.x on 2026-07-28 through patchbay (%s mode)',
  (mode) => {
    let proxy: Proxy;
    beforeAll(async () => {
      proxy = await startProxy(mode, [process.execPath, STATELESS_FIXTURE]);
    });
    afterAll(() => stopProxy(proxy));

    async function connectModern() {
      const client = new Client2(
        { name: 'sdk2-modern', version: '1.0.0' },
        {
          capabilities: { elicitation: { form: {} } },
          versionNegotiation: { mode: { pin: '2026-07-28' } },
        },
      );
      await client.connect(new StreamableHTTPClientTransport2(new URL(proxy.mcpUrl)));
      expect(client.getProtocolEra()).toBe('modern');
      return client;
    }

    it('delivers progress on the request stream', { timeout: 10_000 }, async () => {
      const client = await connectModern();
      try {
        const progress: number[] = [];
        const result = await client.callTool(
          { name: 'slow', arguments: { ms: 200, steps: 4 } },
          {
            onprogress: (p) => progress.push(p.progress),
          },
        );
        expect(firstText(result)).toBe('slept 200 ms in 4 steps');
        expect(progress).toEqual([1, 2, 3, 4]);
      } finally {
        await client.close();
      }
    });

    it('completes a multi-round-trip (input_required) call', { timeout: 10_000 }, async () => {
      const client = await connectModern();
      const asked: string[] = [];
      client.setRequestHandler('elicitation/create', (request) => {
        asked.push(request.params.message);
        return { action: 'accept', content: { name: 'Ada' } };
      });
      try {
        const result = await client.callTool({ name: 'ask', arguments: {} });
        expect(asked).toEqual(['Who are you?']);
        expect(firstText(result)).toBe('hello Ada');
      } finally {
        await client.close();
      }
    });

    it('receives change notifications on a subscriptions/listen stream', { timeout: 10_000 }, async () => {
      const client = await connectModern();
      const updated: string[] = [];
      client.setNotificationHandler('notifications/resources/updated', (n) => {
        updated.push(n.params.uri);
      });
      try {
        const sub = await client.listen({ resourceSubscriptions: [`fixture://${mode}/watched`] });
        expect(sub.honoredFilter.resourceSubscriptions).toEqual([`fixture://${mode}/watched`]);
        const notified = await client.callTool({
          name: 'notify',
          arguments: { uri: `fixture://${mode}/watched/item` },
        });
        expect(firstText(notified)).toBe('delivered 1');
        await until(() => updated.length > 0, 3000, 'notifications/resources/updated');
        expect(updated).toEqual([`fixture://${mode}/watched/item`]);
        await sub.close();
        expect(await sub.closed).toBe('local');
        // Once closed, the server hears of it and stops sending.
        const notifyAgain = () =>
          client.callTool({ name: 'notify', arguments: { uri: `fixture://${mode}/watched/item` } });
        await poll(notifyAgain, (r) => firstText(r) === 'delivered 0', 'the listen to end at the server');
      } finally {
        await client.close();
      }
    });

    it('keeps two concurrent clients apart: same ids and progress tokens', { timeout: 10_000 }, async () => {
      const clients = await Promise.all([connectModern(), connectModern()]);
      try {
        const runs = await Promise.all(
          clients.map(async (client, i) => {
            const progress: number[] = [];
            const [slow, echo] = await Promise.all([
              client.callTool(
                { name: 'slow', arguments: { ms: 300, steps: 3 } },
                { onprogress: (p) => progress.push(p.progress) },
              ),
              client.callTool({ name: 'echo', arguments: { text: `client ${i}` } }),
            ]);
            return { i, slow: firstText(slow), echo: firstText(echo), progress };
          }),
        );
        for (const run of runs) {
          expect(run.slow).toBe('slept 300 ms in 3 steps');
          expect(run.echo).toBe(`client ${run.i}`);
          expect(run.progress).toEqual([1, 2, 3]);
        }
      } finally {
        await Promise.all(clients.map((client) => client.close()));
      }
    });

    it(
      'refuses a revision it cannot serve with UnsupportedProtocolVersion',
      { timeout: 10_000 },
      async () => {
        const client = new Client2(
          { name: 'sdk2-future', version: '1.0.0' },
          { versionNegotiation: { mode: { pin: '2099-01-01' } } },
        );
        await expect(
          client.connect(new StreamableHTTPClientTransport2(new URL(proxy.mcpUrl))),
        ).rejects.toMatchObject({ code: -32022 });
        await client.close();
      },
    );

    it('keeps the listChanged subscription the client opens by itself', { timeout: 10_000 }, async () => {
      const refetched: number[] = [];
      const client = new Client2(
        { name: 'sdk2-list-changed', version: '1.0.0' },
        {
          versionNegotiation: { mode: { pin: '2026-07-28' } },
          listChanged: {
            tools: {
              debounceMs: 0,
              onChanged: (err, tools) => refetched.push(err ? -1 : (tools?.length ?? -2)),
            },
          },
        },
      );
      await client.connect(new StreamableHTTPClientTransport2(new URL(proxy.mcpUrl)));
      try {
        // The auto-opened listen is acknowledged asynchronously: notify until it is counted.
        await poll(
          () => client.callTool({ name: 'notify', arguments: { uri: 'fixture://none', listChanged: true } }),
          (r) => firstText(r) !== 'delivered 0',
          'the auto-opened listen',
        );
        await until(() => refetched.length > 0, 3000, 'the tools/list refetch');
        expect(refetched[0]).toBe(STATELESS_TOOLS.length);
      } finally {
        await client.close();
      }
    });

    it('passes a server error through to the client', { timeout: 10_000 }, async () => {
      const client = await connectModern();
      try {
        await expect(client.callTool({ name: 'echo', arguments: { text: 42 } })).rejects.toMatchObject({
          code: -32602,
          message: expect.stringContaining('echo: text must be a string') as unknown,
        });
        // And the client keeps working.
        expect(firstText(await client.callTool({ name: 'echo', arguments: { text: 'ok' } }))).toBe('ok');
      } finally {
        await client.close();
      }
    });

    it('serves a 2025 session beside the 2026-07-28 traffic', { timeout: 10_000 }, async () => {
      const modern = await connectModern();
      const legacy = new Client({ name: 'sdk1-beside', version: '1.0.0' });
      try {
        expect(firstText(await modern.callTool({ name: 'echo', arguments: { text: 'modern' } }))).toBe(
          'modern',
        );
        await legacy.connect(new StreamableHTTPClientTransport(new URL(proxy.mcpUrl)));
        expect(legacy.getServerVersion()?.name).toBe('stateless-fixture');
        expect(firstText(await legacy.callTool({ name: 'echo', arguments: { text: 'legacy' } }))).toBe(
          'legacy',
        );
        // The legacy session saw no envelope; the modern traffic still works.
        expect(JSON.parse(firstText(await legacy.callTool({ name: 'whoami', arguments: {} })))).toBeNull();
        expect(firstText(await modern.callTool({ name: 'echo', arguments: { text: 'again' } }))).toBe(
          'again',
        );
      } finally {
        await Promise.all([modern.close(), legacy.close()]);
      }
    });

    it('cancels the stdio request when the client aborts', { timeout: 10_000 }, async () => {
      const client = await connectModern();
      try {
        const listCancelled = async () =>
          JSON.parse(firstText(await client.callTool({ name: 'cancelled', arguments: {} }))) as unknown[];
        const cancelledBefore = (await listCancelled()).length;
        const abort = new AbortController();
        const call = client.callTool(
          { name: 'slow', arguments: { ms: 5000, steps: 50 } },
          {
            signal: abort.signal,
            onprogress: () => abort.abort(),
          },
        );
        await expect(call).rejects.toThrow();
        const cancelled = await poll(
          listCancelled,
          (ids) => ids.length > cancelledBefore,
          'the fixture to see notifications/cancelled',
        );
        expect(cancelled).toHaveLength(cancelledBefore + 1);
      } finally {
        await client.close();
      }
    });
  },
);

// ---------------------------------------------------------------------------------------

describe('MCP Inspector CLI through patchbay', () => {
  let proxy: Proxy;
  beforeAll(async () => {
    proxy = await startProxy('isolated', [process.execPath, FIXTURE]);
  });
  afterAll(() => stopProxy(proxy));

  // The `mcp-inspector-cli` bin is the inspector's launcher; `--cli` makes it run its
  // non-interactive CLI with the `node` found on PATH, so put ours first.
  const launcher = require.resolve('@modelcontextprotocol/inspector-cli/build/cli.js');
  function inspector(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [launcher, '--cli', ...args],
        {
          timeout: 15_000,
          env: {
            ...process.env,
            PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`,
          },
        },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  for (const transport of ['http', 'sse'] as const) {
    it(`lists the fixture's tools over ${transport}`, { timeout: 20_000 }, async () => {
      const url = transport === 'http' ? proxy.mcpUrl : proxy.sseUrl;
      const run = await inspector([url, '--transport', transport, '--method', 'tools/list']);
      expect(run.code, run.stderr).toBe(0);
      const parsed = JSON.parse(run.stdout) as { tools: { name: string }[] };
      expect(parsed.tools.map((t) => t.name)).toEqual(expect.arrayContaining(FIXTURE_TOOLS));
    });
  }

  it('calls echo', { timeout: 20_000 }, async () => {
    const run = await inspector([
      proxy.mcpUrl,
      '--transport',
      'http',
      '--method',
      'tools/call',
      '--tool-name',
      'echo',
      '--tool-arg',
      'text=from inspector',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(firstText(JSON.parse(run.stdout))).toBe('from inspector');
  });
});

// ---------------------------------------------------------------------------------------

describe.each(['isolated', 'shared'] as const)('SDK 1.x Client through patchbay (%s mode)', (mode) => {
  let proxy: Proxy;
  beforeAll(async () => {
    proxy = await startProxy(mode, [process.execPath, FIXTURE]);
  });
  afterAll(() => stopProxy(proxy));

  if (mode === 'shared')
    it(
      'keeps two concurrent clients apart: same request ids, own progress, own results',
      { timeout: 10_000 },
      async () => {
        const clients = await Promise.all(
          (['a', 'b'] as const).map(async (name) => {
            const client = new Client({ name: `sdk1-${name}`, version: '1.0.0' });
            await client.connect(
              name === 'a'
                ? new StreamableHTTPClientTransport(new URL(proxy.mcpUrl))
                : new SSEClientTransport(new URL(proxy.sseUrl)),
            );
            return { name, client };
          }),
        );
        try {
          // Both clients number their requests alike, so the server sees colliding ids and tokens
          // unless the proxy rewrites them.
          const runs = await Promise.all(
            clients.map(async ({ name, client }) => {
              const progress: number[] = [];
              const [slow, echo] = await Promise.all([
                client.callTool({ name: 'slow', arguments: { ms: 300, steps: 3 } }, undefined, {
                  onprogress: (p) => progress.push(p.progress),
                }),
                client.callTool({ name: 'echo', arguments: { text: `from ${name}` } }),
              ]);
              return { name, slow: firstText(slow), echo: firstText(echo), progress };
            }),
          );
          for (const run of runs) {
            expect(run.slow).toBe('done');
            expect(run.echo).toBe(`from ${run.name}`);
            // (The SSE client may lose the last one to the SDK 1.x race explained in the progress test.)
            expect(run.progress.slice(0, 2)).toEqual([1, 2]);
            expect(run.progress.length).toBeLessThanOrEqual(3);
          }
          // One process behind both.
          const pids = await Promise.all(
            clients.map(async ({ client }) =>
              firstText(await client.callTool({ name: 'pid', arguments: {} })),
            ),
          );
          expect(pids[0]).toBe(pids[1]);

          // A change caused by one client reaches the other, idle one on its standalone stream
          // (GET /mcp for Streamable HTTP, the /sse stream for legacy).
          const changed = clients.map(() => 0);
          clients.forEach(({ client }, i) =>
            client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
              changed[i]!++;
            }),
          );
          for (const [i, { client }] of clients.entries()) {
            await client.callTool({ name: 'notify_list_changed', arguments: { kind: 'tools' } });
            await until(() => changed[1 - i]! > 0, 3000, `client ${1 - i} to hear of the change`);
            changed.fill(0);
          }
        } finally {
          await Promise.all(clients.map(({ client }) => client.close()));
        }
      },
    );

  if (mode === 'isolated')
    it('gives each client its own server process', { timeout: 10_000 }, async () => {
      const clients = [
        new Client({ name: 'sdk1-a', version: '1.0.0' }),
        new Client({ name: 'sdk1-b', version: '1.0.0' }),
      ];
      try {
        await clients[0]!.connect(new StreamableHTTPClientTransport(new URL(proxy.mcpUrl)));
        await clients[1]!.connect(new SSEClientTransport(new URL(proxy.sseUrl)));
        const pids = await Promise.all(
          clients.map(async (client) => firstText(await client.callTool({ name: 'pid', arguments: {} }))),
        );
        expect(pids[0]).toMatch(/^\d+$/);
        expect(pids[0]).not.toBe(pids[1]);
      } finally {
        await Promise.all(clients.map((client) => client.close()));
      }
    });

  if (mode === 'isolated')
    it('ends the server process when the client ends its session', { timeout: 10_000 }, async () => {
      const http = new Client({ name: 'sdk1-bye-http', version: '1.0.0' });
      const httpTransport = new StreamableHTTPClientTransport(new URL(proxy.mcpUrl));
      const sse = new Client({ name: 'sdk1-bye-sse', version: '1.0.0' });
      await http.connect(httpTransport);
      await sse.connect(new SSEClientTransport(new URL(proxy.sseUrl)));
      const pids = await Promise.all(
        [http, sse].map(async (client) =>
          Number(firstText(await client.callTool({ name: 'pid', arguments: {} }))),
        ),
      );
      // Streamable HTTP: DELETE with the session id; legacy SSE: closing the stream.
      await httpTransport.terminateSession();
      await http.close();
      await sse.close();
      expect(await waitGone(pids)).toEqual([]);
      // The ended session is gone for good.
      const res = await fetch(proxy.mcpUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': httpTransport.sessionId ?? 'missing',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(res.status).toBe(404);
    });

  describe.each(['streamable-http', 'sse'] as const)('over %s', (kind) => {
    async function connect(name: string) {
      const client = new Client({ name, version: '1.0.0' }, { capabilities: { sampling: {} } });
      const transport =
        kind === 'sse'
          ? new SSEClientTransport(new URL(proxy.sseUrl))
          : new StreamableHTTPClientTransport(new URL(proxy.mcpUrl));
      await client.connect(transport);
      return client;
    }

    it('lists tools and calls echo', { timeout: 10_000 }, async () => {
      const client = await connect('sdk1-echo');
      try {
        const listed = await client.listTools();
        expect(listed.tools.map((t) => t.name)).toEqual(expect.arrayContaining(FIXTURE_TOOLS));
        expect(client.getServerVersion()?.name).toBe('patchbay-fixture');
        expect(
          firstText(await client.callTool({ name: 'echo', arguments: { text: `${mode}/${kind}` } })),
        ).toBe(`${mode}/${kind}`);
      } finally {
        await client.close();
      }
    });

    it('delivers every progress notification, in order, before the result', { timeout: 10_000 }, async () => {
      const client = await connect('sdk1-progress');
      // SDK 1.x dispatches notifications a microtask late but responses at once, so when the
      // last progress and the result arrive in one chunk (SSEClientTransport dispatches a
      // chunk's events back to back) the result retires the token first and the SDK reports
      // that progress through onerror ("unknown token") instead of onprogress. The proxy
      // still delivered it, in order: count those too.
      const late: Progress[] = [];
      client.onerror = (err) => {
        const dropped = /progress notification for an unknown token: (.*)$/s.exec(err.message)?.[1];
        if (dropped) late.push((JSON.parse(dropped) as { params: Progress }).params);
      };
      try {
        const progress: Progress[] = [];
        const result = await client.callTool({ name: 'slow', arguments: { ms: 200, steps: 4 } }, undefined, {
          onprogress: (p) => progress.push(p),
        });
        expect(firstText(result)).toBe('done');
        await new Promise((r) => setImmediate(r));
        const all = [...progress, ...late];
        expect(all.map((p) => [p.progress, p.total])).toEqual([
          [1, 4],
          [2, 4],
          [3, 4],
          [4, 4],
        ]);
        expect(all[3]?.message).toBe('step 4 of 4');
        // Only the last one can lose the race with the result.
        expect(progress.length).toBeGreaterThanOrEqual(kind === 'sse' ? 3 : 4);
      } finally {
        await client.close();
      }
    });

    it('answers a sampling request raised by a tool', { timeout: 10_000 }, async () => {
      const client = await connect('sdk1-sampling');
      const prompts: string[] = [];
      client.setRequestHandler(CreateMessageRequestSchema, (request) => {
        const content = request.params.messages[0]?.content;
        prompts.push(content && 'text' in content ? String(content.text) : '?');
        return {
          role: 'assistant',
          content: { type: 'text', text: `answer via ${mode}/${kind}` },
          model: 'interop-test',
        };
      });
      try {
        const result = await client.callTool({ name: 'sample', arguments: { prompt: 'sample me' } });
        expect(prompts).toEqual(['sample me']);
        expect(firstText(result)).toBe(`sampled: answer via ${mode}/${kind}`);
      } finally {
        await client.close();
      }
    });

    it('receives log messages at or above the level it set', { timeout: 10_000 }, async () => {
      const client = await connect('sdk1-logging');
      const logs: LoggingMessageNotification['params'][] = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
        logs.push(n.params);
      });
      try {
        await client.setLoggingLevel('warning');
        await client.callTool({ name: 'log', arguments: { level: 'info', message: 'too quiet' } });
        await client.callTool({ name: 'log', arguments: { level: 'error', message: 'loud enough' } });
        await until(() => logs.length > 0, 3000, 'the error log message');
        expect(logs).toEqual([{ level: 'error', logger: 'fixture', data: 'loud enough' }]);
      } finally {
        await client.close();
      }
    });

    it(
      'sends notifications/cancelled to the server when the client aborts',
      { timeout: 10_000 },
      async () => {
        const client = await connect('sdk1-cancel');
        const listCancelled = async () =>
          JSON.parse(firstText(await client.callTool({ name: 'cancelled', arguments: {} }))) as unknown[];
        try {
          const before = (await listCancelled()).length;
          const abort = new AbortController();
          const call = client.callTool({ name: 'hang', arguments: {} }, undefined, { signal: abort.signal });
          setTimeout(() => abort.abort('changed my mind'), 100);
          await expect(call).rejects.toThrow();
          const after = await poll(listCancelled, (ids) => ids.length > before, 'notifications/cancelled');
          expect(after).toHaveLength(before + 1);
          // The session still works afterwards.
          expect(firstText(await client.callTool({ name: 'echo', arguments: { text: 'still here' } }))).toBe(
            'still here',
          );
        } finally {
          await client.close();
        }
      },
    );

    it('receives resource updates it subscribed to, and list_changed', { timeout: 10_000 }, async () => {
      const client = await connect('sdk1-subscribe');
      const updated: string[] = [];
      let toolsChanged = 0;
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
        updated.push(n.params.uri);
      });
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        toolsChanged++;
      });
      try {
        await client.subscribeResource({ uri: 'fixture://a' });
        const sent = await client.callTool({ name: 'update_resource', arguments: { uri: 'fixture://a' } });
        expect(firstText(sent)).toBe('sent');
        await until(() => updated.length > 0, 3000, 'notifications/resources/updated');
        expect(updated).toEqual(['fixture://a']);
        await client.callTool({ name: 'notify_list_changed', arguments: { kind: 'tools' } });
        await until(() => toolsChanged > 0, 3000, 'notifications/tools/list_changed');
        await client.unsubscribeResource({ uri: 'fixture://a' });
      } finally {
        await client.close();
      }
    });
  });
});
