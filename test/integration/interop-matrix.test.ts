// Issue 14's client matrix: every client we claim connects through `patchbay run`, lists tools
// and calls a tool with progress (the progress arriving before the result), in both routing
// modes, against server-everything (2025 revisions only) and the dual-era 2026-07-28 fixture.
// One proxy per describe, reused by every client; default limits throughout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMCPClient as createMCPClient1 } from '@ai-sdk/mcp';
import { createMCPClient as createMCPClient2 } from 'ai-sdk-mcp-2';
import {
  Client as Client2,
  StreamableHTTPClientTransport as StreamableHTTPClientTransport2,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressTapFetch, type WireMessage } from '../support/client-fetch';
import { STATELESS_FIXTURE } from '../support/engine-client';
import { repoRoot } from '../support/paths';
import { EVERYTHING_COMMAND, firstText, type Proxy, startProxy, stopProxy } from '../support/patchbay-proxy';
import { until } from '../support/processes';

/** A stdio server behind the proxy, and the tool of it that reports progress. */
interface Target {
  name: string;
  command: string[];
  tools: string[];
  /** Serves 2026-07-28 (so dual-era clients stay stateless). */
  modern: boolean;
  progressTool: { name: string; args: Record<string, unknown>; result: RegExp };
}

const STEPS = 4;
const TARGETS: Target[] = [
  {
    name: 'server-everything (2025-only)',
    command: EVERYTHING_COMMAND,
    tools: ['echo', 'trigger-long-running-operation'],
    modern: true, // through the 2026-07-28 bridge (PROTOCOL.md)
    progressTool: {
      name: 'trigger-long-running-operation',
      args: { duration: 0.4, steps: STEPS }, // seconds
      result: /^Long running operation completed\. Duration: 0\.4 seconds, Steps: 4\.$/,
    },
  },
  {
    name: '2026-07-28 fixture',
    command: [process.execPath, STATELESS_FIXTURE],
    tools: ['echo', 'slow', 'whoami'],
    modern: true,
    progressTool: { name: 'slow', args: { ms: 400, steps: STEPS }, result: /^slept 400 ms in 4 steps$/ },
  },
];

const MATRIX = (['isolated', 'shared'] as const).flatMap((mode) =>
  TARGETS.map((target) => ({ mode, target })),
);

const MCP_REMOTE = join(repoRoot, 'node_modules/mcp-remote/dist/proxy.js');

/** What this test uses of either AI SDK major (their declared types differ in detail). */
type CreateAiSdkClient = (config: {
  name: string;
  transport: { type: 'http'; url: string; fetch: ReturnType<typeof progressTapFetch>['fetch'] };
  onUncaughtError: (e: unknown) => void;
}) => Promise<{
  listTools(): Promise<{ tools: { name: string }[] }>;
  tools(): Promise<
    Record<
      string,
      { execute?: (args: unknown, options: { toolCallId: string; messages: never[] }) => unknown }
    >
  >;
  close(): Promise<void>;
}>;

/** Progress reported by a client, in order; `late` are SDK 1.x's misrouted last ones (below). */
interface ProgressLog {
  onTime: number[];
  late: number[];
}

/**
 * SDK 1.x dispatches notifications a microtask late but responses at once, so when the last
 * progress and the result arrive in one chunk the result retires the token first and the SDK
 * reports that progress through onerror ("unknown token") instead of onprogress. The proxy
 * still delivered it before the result: count it, but only the last one may be late.
 */
function catchLateProgress(client: Client, log: ProgressLog): void {
  client.onerror = (err) => {
    const dropped = /progress notification for an unknown token: (.*)$/s.exec(err.message)?.[1];
    if (dropped) log.late.push((JSON.parse(dropped) as { params: Progress }).params.progress);
  };
}

function expectAllProgress(log: ProgressLog): void {
  expect([...log.onTime, ...log.late]).toEqual([1, 2, 3, 4]);
  expect(log.late.length).toBeLessThanOrEqual(1);
}

/** On the wire of one call: every progress for its token came before its response, in order. */
function expectProgressBeforeResult(received: WireMessage[], call: { token: string; id: unknown }): void {
  const progress = received
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => m.method === 'notifications/progress' && m.params?.['progressToken'] === call.token);
  expect(progress.map(({ m }) => m.params?.['progress'])).toEqual([1, 2, 3, 4]);
  const result = received.findIndex((m) => m.method === undefined && m.id === call.id);
  expect(result, 'the call result on the wire').toBeGreaterThanOrEqual(0);
  expect(progress.every(({ i }) => i < result)).toBe(true);
}

/**
 * What the AI SDK reports through onUncaughtError that is not about our framing: it opens its
 * GET stream before `initialize` (so without Mcp-Session-Id: 400, as the spec says), 1.x
 * JSON-parses a 2025-11-25 priming event's empty `data:`, and it has no handler for progress
 * (or log) notifications, so each one it reads is "Unsupported message type". Anything else (a
 * frame it could not parse, a failed POST) is ours.
 */
function unexpectedAiSdkErrors(errors: unknown[]): string[] {
  return errors
    .filter((e) => {
      const message = e instanceof Error ? e.message : String(e);
      if (/GET SSE failed: 40[05]/.test(message)) return false;
      if (message.startsWith('Unsupported message type')) return false;
      const cause = e instanceof Error ? (e.cause as { text?: unknown } | undefined) : undefined;
      return !(message.endsWith('Failed to parse message') && cause?.text === '');
    })
    .map((e) => (e instanceof Error ? `${e.message} (${String(e.cause)})` : String(e)));
}

describe.each(MATRIX)('client matrix: $target.name, $mode mode', ({ mode, target }) => {
  let proxy: Proxy;
  beforeAll(async () => {
    proxy = await startProxy(mode, target.command);
  });
  afterAll(() => stopProxy(proxy));

  /** Lists tools and calls the progress tool through an SDK client (1.x shape). */
  async function listAndCallSdk1(client: Client, log: ProgressLog) {
    const listed = await client.listTools();
    expect(listed.tools.map((t) => t.name)).toEqual(expect.arrayContaining(target.tools));
    const result = await client.callTool(
      { name: target.progressTool.name, arguments: target.progressTool.args },
      undefined,
      { onprogress: (p) => log.onTime.push(p.progress) },
    );
    // Progress callbacks run before the call resolves: all that came on time is already here.
    const onTimeAtResult = log.onTime.length;
    expect(firstText(result)).toMatch(target.progressTool.result);
    await new Promise((r) => setImmediate(r));
    expectAllProgress(log);
    expect(onTimeAtResult).toBe(log.onTime.length);
  }

  for (const [label, create] of [
    ['@ai-sdk/mcp 2.x', createMCPClient2 as unknown as CreateAiSdkClient],
    ['@ai-sdk/mcp 1.x', createMCPClient1 as CreateAiSdkClient],
  ] as const) {
    it(`${label}: lists tools and calls a tool with progress`, { timeout: 20_000 }, async () => {
      // The AI SDK has no progress API: the tap adds a token to the call and reads the stream.
      const tap = progressTapFetch();
      const errors: unknown[] = [];
      const client = await create({
        name: 'ai-sdk-matrix',
        transport: { type: 'http', url: proxy.mcpUrl, fetch: tap.fetch },
        onUncaughtError: (e) => errors.push(e),
      });
      try {
        const listed = await client.listTools();
        expect(listed.tools.map((t) => t.name)).toEqual(expect.arrayContaining(target.tools));
        const before = tap.received.length;
        // The way an AI SDK app calls a tool: through the tool set it hands the model.
        const tool = (await client.tools())[target.progressTool.name];
        expect(tool?.execute, `${target.progressTool.name} in the AI SDK tool set`).toBeDefined();
        const result = await tool!.execute!(target.progressTool.args, {
          toolCallId: 'matrix-call',
          messages: [],
        });
        expect(firstText(result)).toMatch(target.progressTool.result);
        const call = tap.calls.at(-1);
        expect(call, 'the tap added a progress token to tools/call').toBeDefined();
        // The tap reads its copy of the stream alongside the client: let it catch up.
        await until(
          () => tap.received.some((m) => m.method === undefined && m.id === call!.id),
          3000,
          "the call's response in the tap",
        );
        expectProgressBeforeResult(tap.received.slice(before), call!);
        expect(tap.errors).toEqual([]);
        expect(unexpectedAiSdkErrors(errors)).toEqual([]);
        // 2.x is dual-era: it asks server/discover first and falls back to initialize on a
        // 2025-only server; 1.x always initializes.
        const dualEra = label === '@ai-sdk/mcp 2.x';
        expect(tap.sent[0]).toBe(dualEra ? 'server/discover' : 'initialize');
        expect(tap.sent.includes('initialize')).toBe(!(dualEra && target.modern));
      } finally {
        await client.close();
      }
    });
  }

  it(
    '@modelcontextprotocol/client 2.x (default negotiation): lists tools and calls a tool with progress',
    { timeout: 20_000 },
    async () => {
      const client = new Client2({ name: 'sdk2-matrix', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport2(new URL(proxy.mcpUrl)));
      try {
        const listed = await client.listTools();
        expect(listed.tools.map((t) => t.name)).toEqual(expect.arrayContaining(target.tools));
        const progress: number[] = [];
        const result = await client.callTool(
          { name: target.progressTool.name, arguments: target.progressTool.args },
          { onprogress: (p) => progress.push(p.progress) },
        );
        expect(firstText(result)).toMatch(target.progressTool.result);
        expect(progress).toEqual([1, 2, 3, 4]);
      } finally {
        await client.close();
      }
    },
  );

  it(
    '@modelcontextprotocol/client 2.x (auto negotiation): lists tools and calls a tool with progress',
    { timeout: 20_000 },
    async () => {
      const client = new Client2(
        { name: 'sdk2-matrix-auto', version: '1.0.0' },
        { versionNegotiation: { mode: 'auto', probe: { timeoutMs: 10_000 } } },
      );
      await client.connect(new StreamableHTTPClientTransport2(new URL(proxy.mcpUrl)));
      try {
        // Both are served modern: the dual-era fixture itself, server-everything through the bridge.
        expect(client.getProtocolEra()).toBe(target.modern ? 'modern' : 'legacy');
        const listed = await client.listTools();
        expect(listed.tools.map((t) => t.name)).toEqual(expect.arrayContaining(target.tools));
        const progress: number[] = [];
        const result = await client.callTool(
          { name: target.progressTool.name, arguments: target.progressTool.args },
          { onprogress: (p) => progress.push(p.progress) },
        );
        expect(firstText(result)).toMatch(target.progressTool.result);
        expect(progress).toEqual([1, 2, 3, 4]);
      } finally {
        await client.close();
      }
    },
  );

  for (const kind of ['Streamable HTTP', 'legacy SSE'] as const) {
    it(
      `@modelcontextprotocol/sdk 1.x over ${kind}: lists tools and calls a tool with progress`,
      { timeout: 20_000 },
      async () => {
        const client = new Client({ name: 'sdk1-matrix', version: '1.0.0' });
        const log: ProgressLog = { onTime: [], late: [] };
        catchLateProgress(client, log);
        const transport: Transport =
          kind === 'legacy SSE'
            ? new SSEClientTransport(new URL(proxy.sseUrl))
            : new StreamableHTTPClientTransport(new URL(proxy.mcpUrl));
        await client.connect(transport);
        try {
          await listAndCallSdk1(client, log);
        } finally {
          await client.close();
        }
      },
    );
  }

  // Its default protocol mode, its dual-era mode, and pointed at the legacy SSE endpoint.
  for (const { transport: strategy, protocol } of [
    { transport: 'http-only', protocol: 'legacy' },
    { transport: 'http-only', protocol: 'auto' },
    { transport: 'sse-only', protocol: 'legacy' },
  ] as const) {
    it(
      `mcp-remote (--transport ${strategy} --protocol ${protocol}): lists tools and calls a tool with progress`,
      { timeout: 30_000 },
      async () => {
        // Its config and token store stay in a temp dir: nothing read from or left in ~/.mcp-auth.
        const configDir = mkdtempSync(join(tmpdir(), 'patchbay-mcp-remote-'));
        const transport = new StdioClientTransport({
          command: process.execPath,
          args: [
            MCP_REMOTE,
            strategy === 'sse-only' ? proxy.sseUrl : proxy.mcpUrl,
            '--transport',
            strategy,
            '--protocol',
            protocol,
          ],
          env: { ...(process.env as Record<string, string>), MCP_REMOTE_CONFIG_DIR: configDir },
          stderr: 'pipe',
        });
        let stderr = '';
        transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const client = new Client({ name: 'mcp-remote-matrix', version: '1.0.0' });
        const log: ProgressLog = { onTime: [], late: [] };
        catchLateProgress(client, log);
        try {
          await client.connect(transport);
          await listAndCallSdk1(client, log);
          // In auto mode it bridges to 2026-07-28 where that is served, else it initializes.
          expect(/Remote server speaks MCP 2026-07-28/.test(stderr)).toBe(
            protocol === 'auto' && target.modern,
          );
          // A server with no auth never sends it into OAuth (no browser, no callback server).
          expect(stderr).not.toMatch(
            /requires authorization|Authentication required|open the browser|Browser opened/,
          );
        } catch (err) {
          throw new Error(`${String(err)}\nmcp-remote stderr:\n${stderr.slice(-3000)}`, { cause: err });
        } finally {
          await client.close();
          rmSync(configDir, { recursive: true, force: true });
        }
      },
    );
  }
});
