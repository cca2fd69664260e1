// Shared mode with real clients nobody here wrote: two MCP TypeScript SDK 1.x clients on
// one @modelcontextprotocol/server-everything process, over Patchbay's Streamable HTTP
// endpoint. A declares sampling and answers it; B does not. Issue 14 reproduced one
// client's sampling request reaching the other client; here neither ever sees the other's.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  type CallToolResult,
  type JSONRPCRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type Endpoint, startEndpoint } from '../../src/main/core/http/endpoint-server';
import { ServerRuntime } from '../../src/main/core/routing/server-runtime';
import { repoRoot } from '../support/paths';
import { until } from '../support/processes';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
});

async function serveEverything(): Promise<{ runtime: ServerRuntime; endpoint: Endpoint }> {
  const runtime = new ServerRuntime({
    id: 'everything-shared',
    command: 'npx',
    args: ['--no-install', 'mcp-server-everything', 'stdio'],
    cwd: repoRoot,
    mode: 'shared',
    probeTimeoutMs: 10_000,
    restart: { initialDelayMs: 100, maxDelayMs: 400 },
  });
  expect((await runtime.start()).status).toBe('running');
  cleanup.push(() => runtime.stop());
  const endpoint = await startEndpoint(runtime, {});
  cleanup.push(() => endpoint.close());
  return { runtime, endpoint };
}

/** An SDK client that records every server→client request it is sent. */
interface Recorded {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** Server→client requests this client received (sampling answered, anything else refused). */
  received: JSONRPCRequest[];
  sampled: string[];
}

async function connect(url: string, name: string, canSample: boolean): Promise<Recorded> {
  const client = new Client({ name, version: '1.0.0' }, { capabilities: canSample ? { sampling: {} } : {} });
  const rec: Recorded = {
    client,
    transport: new StreamableHTTPClientTransport(new URL(url)),
    received: [],
    sampled: [],
  };
  if (canSample) {
    client.setRequestHandler(CreateMessageRequestSchema, (req) => {
      const first = req.params.messages[0]?.content;
      rec.sampled.push(first && 'text' in first ? String(first.text) : '');
      rec.received.push({ jsonrpc: '2.0', id: 0, method: req.method, params: req.params });
      return {
        model: `model-of-${name}`,
        role: 'assistant',
        content: { type: 'text', text: `answer from ${name}` },
      };
    });
  }
  client.fallbackRequestHandler = (req) => {
    rec.received.push(req);
    return Promise.reject(new Error(`${name} does not handle ${req.method}`));
  };
  await client.connect(rec.transport);
  cleanup.push(() => client.close());
  return rec;
}

function text(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

const sampleTool = (prompt: string) => ({
  name: 'trigger-sampling-request',
  arguments: { prompt, maxTokens: 10 },
});
const samplingRequests = (rec: Recorded) => rec.received.filter((r) => r.method === 'sampling/createMessage');

describe('shared mode, two SDK clients on server-everything', () => {
  it('never hands a sampling request to an idle client; a client that joined second can sample', async () => {
    const { runtime, endpoint } = await serveEverything();
    const b = await connect(endpoint.url, 'b-cannot-sample', false);
    const a = await connect(endpoint.url, 'a-samples', true);

    // The process was initialized with every capability, so the tool exists for both.
    const names = (await b.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('trigger-sampling-request');

    // (c) A joined second and can sample: its sampling request reaches A's own handler.
    const mine = (await a.client.callTool(sampleTool('a private'))) as CallToolResult;
    expect(mine.isError).toBeFalsy();
    expect(text(mine)).toContain('answer from a-samples');
    expect(a.sampled).toEqual([expect.stringContaining('a private')]);

    // (a) B calls the sampling tool while A is idle: A is never asked, B gets an error.
    const theirs = (await b.client.callTool(sampleTool('b private'))) as CallToolResult;
    expect(theirs.isError).toBe(true);
    expect(text(theirs)).toMatch(/cannot handle sampling\/createMessage/);
    expect(a.sampled).toHaveLength(1);
    expect(samplingRequests(b)).toEqual([]);

    // The proxy stays healthy for both.
    expect(
      text((await a.client.callTool({ name: 'echo', arguments: { message: 'a' } })) as CallToolResult),
    ).toBe('Echo: a');
    expect(
      text((await b.client.callTool({ name: 'echo', arguments: { message: 'b' } })) as CallToolResult),
    ).toBe('Echo: b');
    expect(runtime.listSessions()).toHaveLength(2);
  }, 60_000);

  it('with two calls in flight, refuses the server’s request instead of guessing; both calls end', async () => {
    const { endpoint } = await serveEverything();
    const a = await connect(endpoint.url, 'a-samples', true);
    const b = await connect(endpoint.url, 'b-cannot-sample', false);

    let longDone = false;
    const progress: number[] = [];
    const long = b.client
      .callTool(
        { name: 'trigger-long-running-operation', arguments: { duration: 3, steps: 3 } },
        CallToolResultSchema,
        {
          onprogress: (p) => progress.push(p.progress),
          timeout: 30_000,
        },
      )
      .finally(() => (longDone = true));
    await until(() => progress.length >= 1, 10_000, 'B’s long call to be running');

    const sampled = (await a.client.callTool(sampleTool('a private, b busy'))) as CallToolResult;
    expect(longDone).toBe(false); // B's call was in flight the whole time
    expect(sampled.isError).toBe(true);
    expect(text(sampled)).toMatch(/cannot tell which client sampling\/createMessage is for/);
    expect(a.sampled).toEqual([]);
    expect(samplingRequests(b)).toEqual([]);

    const longResult = (await long) as CallToolResult;
    expect(text(longResult)).toMatch(/Long running operation completed/);
  }, 60_000);

  it('survives kill -9 of the shared process: the call in flight fails at once, the session goes on', async () => {
    const { runtime, endpoint } = await serveEverything();
    const a = await connect(endpoint.url, 'a-samples', true);
    const sessionId = a.transport.sessionId;
    let progressed = false;
    const long = a.client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 30, steps: 30 } },
      CallToolResultSchema,
      { onprogress: () => (progressed = true), timeout: 60_000 },
    );
    await until(() => progressed, 10_000, 'the long call to be running');
    const pid = runtime.listSessions()[0]!.pid!;
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    const failure = await long.then(
      () => undefined,
      (err: unknown) => err as { code?: number; message: string },
    );
    // At once, not a timeout: the operation had ~29 s to go and the client waits 60 s.
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(failure?.code).toBe(-32000);
    expect(failure?.message).toMatch(/SIGKILL/);

    // The next call on the same session succeeds, without the client initializing again.
    const echo = (await a.client.callTool({
      name: 'echo',
      arguments: { message: 'again' },
    })) as CallToolResult;
    expect(text(echo)).toBe('Echo: again');
    expect(a.transport.sessionId).toBe(sessionId);
    expect(runtime.listSessions()[0]!.pid).not.toBe(pid);
    const initializes = runtime.frames
      .since()
      .filter((f) => f.leg === 'client→proxy' && f.method === 'initialize');
    expect(initializes).toHaveLength(1);
    // Sampling still works for A after the revival (its capabilities were replayed).
    const sampled = (await a.client.callTool(sampleTool('after the crash'))) as CallToolResult;
    expect(text(sampled)).toContain('answer from a-samples');
  }, 60_000);
});
