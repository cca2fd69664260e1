// The Python SDK's client (`mcp.Client`: streamable HTTP, its default dual-era negotiation)
// through `patchbay run`, in a venv the test makes: lists tools and calls a tool with progress
// in both modes against server-everything and the 2026-07-28 fixture, and takes a 2 MB result
// (the Python client caps one SSE event at 1 MiB). Skips, saying why, where python3 or the
// package is missing.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, STATELESS_FIXTURE } from '../support/engine-client';
import { EVERYTHING_COMMAND, firstText, type Proxy, startProxy, stopProxy } from '../support/patchbay-proxy';
import { usePythonClient } from '../support/python-client';

const BIG = 2 * 1024 * 1024;

/** The Python client, or a skip with the reason there is none. */
const python = usePythonClient('python interop tests');

const TARGETS = [
  {
    name: 'server-everything (2025-only)',
    command: EVERYTHING_COMMAND,
    tools: ['echo', 'trigger-long-running-operation'],
    tool: 'trigger-long-running-operation',
    args: { duration: 0.4, steps: 4 },
    result: /^Long running operation completed\. Duration: 0\.4 seconds, Steps: 4\.$/,
    // Served 2026-07-28 through Patchbay's bridge, so the dual-era client stays stateless.
    version: /^2026-07-28$/,
  },
  {
    name: '2026-07-28 fixture',
    command: [process.execPath, STATELESS_FIXTURE],
    tools: ['echo', 'slow', 'whoami'],
    tool: 'slow',
    args: { ms: 400, steps: 4 },
    result: /^slept 400 ms in 4 steps$/,
    version: /^2026-07-28$/,
  },
];
const MATRIX = (['isolated', 'shared'] as const).flatMap((mode) =>
  TARGETS.map((target) => ({ mode, target })),
);

describe.each(MATRIX)('Python mcp client: $target.name, $mode mode', ({ mode, target }) => {
  let proxy: Proxy;
  beforeAll(async () => {
    proxy = await startProxy(mode, target.command);
  });
  afterAll(() => stopProxy(proxy));

  it('lists tools and calls a tool with progress', { timeout: 60_000 }, async (ctx) => {
    const report = await python(ctx).call(proxy.mcpUrl, target.tool, target.args, { progressSteps: 4 });
    expect(report.protocolVersion).toMatch(target.version);
    expect(report.tools).toEqual(expect.arrayContaining(target.tools));
    expect(report.isError).toBe(false);
    expect(report.textHead).toMatch(target.result);
    // Every progress notification, in order, before the result. The Python SDK runs progress
    // callbacks as tasks, so the last one (sent right before the result) may run just after the
    // call returns: only that one may follow the result.
    expect(report.events.filter((e) => 'progress' in e)).toEqual([
      { progress: 1, total: 4 },
      { progress: 2, total: 4 },
      { progress: 3, total: 4 },
      { progress: 4, total: 4 },
    ]);
    expect(report.events.findIndex((e) => 'result' in e)).toBeGreaterThanOrEqual(3);
  });
});

describe.each(['isolated', 'shared'] as const)('a 2 MB tool result, %s mode', (mode) => {
  let proxy: Proxy;
  beforeAll(async () => {
    proxy = await startProxy(mode, [process.execPath, FIXTURE]);
  });
  afterAll(() => stopProxy(proxy));

  // Its default negotiation reaches the 2025 fixture as 2026-07-28 through the bridge; legacy
  // mode takes the 2025 session path.
  for (const negotiation of ['auto', 'legacy'] as const)
    it(`reaches the Python mcp client (${negotiation} negotiation)`, { timeout: 60_000 }, async (ctx) => {
      const report = await python(ctx).call(proxy.mcpUrl, 'big', { bytes: BIG }, { mode: negotiation });
      expect(report.protocolVersion).toMatch(negotiation === 'auto' ? /^2026-07-28$/ : /^2025-/);
      expect(report.isError).toBe(false);
      expect(report.textLength).toBe(BIG);
      expect(report.allX).toBe(true);
    });

  it('reaches the TypeScript SDK client', { timeout: 30_000 }, async () => {
    const client = new Client({ name: 'sdk1-big', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(proxy.mcpUrl)));
    try {
      const text = firstText(await client.callTool({ name: 'big', arguments: { bytes: BIG } }));
      expect(text.length).toBe(BIG);
      expect(/^x+$/.test(text)).toBe(true);
    } finally {
      await client.close();
    }
  });
});
