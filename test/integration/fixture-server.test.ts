import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ErrorCode,
  type JSONRPCMessage,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  McpError,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const fixture = resolve(import.meta.dirname, '../fixtures/fixture-server.mjs');

interface Harness {
  client: Client;
  /** Everything the client wrote to the fixture. */
  sent: JSONRPCMessage[];
  /** Errors the client reported (non-JSON lines on stdout land here). */
  errors: Error[];
  stderr: () => string;
  pid: () => number | null;
  logs: { level: string; data: unknown }[];
  listChanged: string[];
  updated: string[];
}

const open: Harness[] = [];

async function connect(args: string[] = []): Promise<Harness> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [fixture, ...args],
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const sent: JSONRPCMessage[] = [];
  const send = transport.send.bind(transport);
  transport.send = (message: JSONRPCMessage) => {
    sent.push(message);
    return send(message);
  };

  const client = new Client(
    { name: 'fixture-test', version: '0.0.1' },
    { capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } } },
  );
  const h: Harness = {
    client,
    sent,
    errors: [],
    stderr: () => stderr,
    pid: () => transport.pid,
    logs: [],
    listChanged: [],
    updated: [],
  };
  client.onerror = (error) => h.errors.push(error);
  client.setRequestHandler(CreateMessageRequestSchema, (request) => {
    const first = request.params.messages[0]?.content;
    const prompt = first && !Array.isArray(first) && first.type === 'text' ? first.text : '';
    if (prompt === 'fail') throw new McpError(ErrorCode.InternalError, 'no model here');
    return { model: 'test-model', role: 'assistant', content: { type: 'text', text: `echo ${prompt}` } };
  });
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    expect(request.params.message).toBe('Who are you?');
    return { action: 'accept', content: { name: 'Ada' } };
  });
  client.setRequestHandler(ListRootsRequestSchema, () => ({
    roots: [{ uri: 'file:///tmp/project', name: 'project' }],
  }));
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    h.logs.push({ level: n.params.level, data: n.params.data });
  });
  client.setNotificationHandler(ToolListChangedNotificationSchema, (n) => void h.listChanged.push(n.method));
  client.setNotificationHandler(
    ResourceListChangedNotificationSchema,
    (n) => void h.listChanged.push(n.method),
  );
  client.setNotificationHandler(
    PromptListChangedNotificationSchema,
    (n) => void h.listChanged.push(n.method),
  );
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void h.updated.push(n.params.uri));

  await client.connect(transport, { timeout: 5_000 });
  open.push(h);
  return h;
}

async function call(h: Harness, name: string, args: Record<string, unknown> = {}) {
  return CallToolResultSchema.parse(
    await h.client.callTool({ name, arguments: args }, undefined, { timeout: 5_000 }),
  );
}

async function callText(h: Harness, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const result = await call(h, name, args);
  const first = result.content[0];
  if (first?.type !== 'text')
    throw new Error(`${name}: expected text content, got ${JSON.stringify(result)}`);
  return first.text;
}

interface Raw {
  child: ChildProcessWithoutNullStreams;
  send: (text: string) => void;
  /** Parsed stdout lines so far. */
  messages: () => Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const rawChildren: ChildProcessWithoutNullStreams[] = [];

/** The fixture without any client: for what the SDK cannot show. */
function spawnRaw(args: string[] = []): Raw {
  const child = spawn(process.execPath, [fixture, ...args], { stdio: 'pipe' });
  rawChildren.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.on('error', () => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return {
    child,
    send: (text) => void child.stdin.write(text),
    messages: () =>
      stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    stderr: () => stderr,
    exited,
  };
}

const line = (message: unknown) => JSON.stringify(message) + '\n';

afterAll(async () => {
  for (const child of rawChildren)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(open.map((h) => h.client.close()));
});

describe('fixture server driven by the MCP SDK client', { timeout: 10_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await connect();
  });

  it('initializes with the latest version and lists its tools, resources and prompts', async () => {
    expect(h.client.getServerVersion()).toEqual({ name: 'patchbay-fixture', version: '1.0.0' });
    expect(h.client.getServerCapabilities()).toMatchObject({
      tools: { listChanged: true },
      resources: { subscribe: true, listChanged: true },
      logging: {},
    });
    const { tools } = await h.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['echo', 'slow', 'hang', 'sample', 'elicit', 'roots', 'flood', 'big', 'crash']),
    );
    const { resources } = await h.client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(['fixture://a', 'fixture://b']);
    const read = await h.client.readResource({ uri: 'fixture://b' });
    expect(read.contents).toEqual([{ uri: 'fixture://b', mimeType: 'text/plain', text: 'contents of b' }]);
    const prompt = await h.client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
    expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'Hello, Ada!' });

    const info = JSON.parse(await callText(h, 'client_info')) as Record<string, unknown>;
    expect(info).toMatchObject({
      initializeCount: 1,
      initializedCount: 1,
      lastInitialize: { protocolVersion: '2025-11-25', clientInfo: { name: 'fixture-test' } },
    });
  });

  it('echoes', async () => {
    expect(await callText(h, 'echo', { text: 'héllo 👋' })).toBe('héllo 👋');
  });

  it('reports progress to onprogress, then answers', async () => {
    const progress: { progress: number; total?: number }[] = [];
    const result = await h.client.callTool({ name: 'slow', arguments: { ms: 200, steps: 4 } }, undefined, {
      timeout: 5_000,
      onprogress: (p) => progress.push({ progress: p.progress, total: p.total }),
    });
    expect(result.content).toEqual([{ type: 'text', text: 'done' }]);
    // The SDK runs progress handlers in a microtask but drops them synchronously when the
    // response arrives, so the last step can be lost when it shares a read with the result.
    const expected = [1, 2, 3, 4].map((i) => ({ progress: i, total: 4 }));
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress).toEqual(expected.slice(0, progress.length));
  });

  it('filters log messages by the level set with logging/setLevel', async () => {
    await h.client.setLoggingLevel('warning');
    expect(await callText(h, 'log', { level: 'info', message: 'hidden' })).toBe('logged');
    expect(await callText(h, 'log', { level: 'error', message: 'shown' })).toBe('logged');
    await expect.poll(() => h.logs).toContainEqual({ level: 'error', data: 'shown' });
    expect(h.logs.map((l) => l.data)).not.toContain('hidden');
    expect(JSON.parse(await callText(h, 'client_info'))).toMatchObject({ logLevel: 'warning' });
  });

  it('round-trips sampling, elicitation, roots and ping to the client', async () => {
    expect(await callText(h, 'sample', { prompt: 'hi' })).toBe('sampled: echo hi');
    const failed = await call(h, 'sample', { prompt: 'fail' });
    expect(failed.isError).toBe(true);
    const failure = failed.content[0];
    expect(failure?.type === 'text' ? failure.text : '').toContain('no model here');
    expect(JSON.parse(await callText(h, 'elicit', { message: 'Who are you?' }))).toEqual({
      action: 'accept',
      content: { name: 'Ada' },
    });
    expect(JSON.parse(await callText(h, 'roots'))).toEqual([{ uri: 'file:///tmp/project', name: 'project' }]);
    expect(await callText(h, 'ping_client')).toBe('pong');
  });

  it('sends list_changed notifications', async () => {
    for (const kind of ['tools', 'resources', 'prompts']) {
      expect(await callText(h, 'notify_list_changed', { kind })).toBe('sent');
    }
    await expect
      .poll(() => h.listChanged)
      .toEqual([
        'notifications/tools/list_changed',
        'notifications/resources/list_changed',
        'notifications/prompts/list_changed',
      ]);
  });

  it('sends resources/updated only while subscribed', async () => {
    expect(await callText(h, 'update_resource', { uri: 'fixture://a' })).toBe('not subscribed');
    await h.client.subscribeResource({ uri: 'fixture://a' });
    expect(JSON.parse(await callText(h, 'client_info'))).toMatchObject({ subscriptions: ['fixture://a'] });
    expect(await callText(h, 'update_resource', { uri: 'fixture://a' })).toBe('sent');
    await expect.poll(() => h.updated).toEqual(['fixture://a']);
    await h.client.unsubscribeResource({ uri: 'fixture://a' });
    expect(await callText(h, 'update_resource', { uri: 'fixture://a' })).toBe('not subscribed');
    expect(h.updated).toEqual(['fixture://a']);
  });

  it('reports its own pid and spawns a grandchild that outlives the call', async () => {
    expect(Number(await callText(h, 'pid'))).toBe(h.pid());
    const grandchild = Number(await callText(h, 'spawn_child'));
    expect(grandchild).toBeGreaterThan(0);
    expect(grandchild).not.toBe(h.pid());
    expect(process.kill(grandchild, 0)).toBe(true);
    process.kill(grandchild, 'SIGKILL');
  });

  it('answers with a 2 MiB text', async () => {
    const bytes = 2 * 1024 * 1024;
    const text = await callText(h, 'big', { bytes });
    expect(text.length).toBe(bytes);
    expect(/^x+$/.test(text)).toBe(true);
  });

  it('floods log notifications and still answers', async () => {
    const before = h.logs.length;
    await h.client.setLoggingLevel('debug');
    expect(await callText(h, 'flood', { count: 500, size: 200 })).toBe('flooded');
    await expect.poll(() => h.logs.length - before).toBe(500);
  });

  it('delivers a cancellation from an AbortSignal to the fixture', async () => {
    const controller = new AbortController();
    const pending = h.client.callTool({ name: 'hang' }, undefined, {
      signal: controller.signal,
      timeout: 5_000,
    });
    const hangId = () => {
      const request = h.sent.find(
        (m) => 'method' in m && m.method === 'tools/call' && m.params?.name === 'hang',
      );
      return request && 'id' in request ? request.id : undefined;
    };
    await expect.poll(hangId).toBeDefined();
    const id = hangId();
    controller.abort(new Error('user gave up'));
    await expect(pending).rejects.toThrow('user gave up');
    await expect.poll(async () => JSON.parse(await callText(h, 'cancelled')) as unknown).toEqual([id]);
  });
});

describe('fixture server misbehaving', { timeout: 10_000 }, () => {
  it('survives non-JSON lines on stdout, at start and mid-session', async () => {
    const h = await connect(['--noise-on-start']);
    expect(await callText(h, 'noise', { lines: 3 })).toBe('wrote 3 noise lines');
    expect(await callText(h, 'echo', { text: 'still here' })).toBe('still here');
    expect(h.errors).toHaveLength(4);
  });

  it('rejects every pending call promptly when it crashes', async () => {
    const h = await connect();
    const started = performance.now();
    const hanging = h.client.callTool({ name: 'hang' }, undefined, { timeout: 8_000 });
    const crashing = h.client.callTool({ name: 'crash', arguments: { code: 3 } }, undefined, {
      timeout: 8_000,
    });
    await expect(crashing).rejects.toThrow(/Connection closed/);
    await expect(hanging).rejects.toThrow(/Connection closed/);
    expect(performance.now() - started).toBeLessThan(2_000);
    await expect.poll(() => h.stderr()).toContain('fixture: crashing on request');
  });

  it('writes tool output to stderr, never to stdout', async () => {
    const h = await connect();
    expect(await callText(h, 'stderr', { lines: 2, text: 'diag' })).toBe('wrote 2 stderr lines');
    await expect.poll(() => h.stderr()).toBe('diag 1\ndiag 2\n');
    expect(h.errors).toEqual([]);
  });
});

describe('fixture server on the raw wire', { timeout: 10_000 }, () => {
  it('reads partial chunks, CRLF and blank lines, answers bad JSON, and exits 0 when stdin ends', async () => {
    const raw = spawnRaw();
    const init = line({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2024-11-05' },
    });
    raw.send(init.slice(0, 20));
    await sleep(30);
    raw.send(init.slice(20, -1) + '\r\n\n  \n');
    raw.send('not json\n');
    raw.send(
      line({ jsonrpc: '2.0', id: 'two', method: 'initialize', params: { protocolVersion: '1999-01-01' } }),
    );
    raw.send(line({ jsonrpc: '2.0', method: 'notifications/whatever' }));
    raw.send(line({ jsonrpc: '2.0', id: 3, method: 'no/such' }));
    raw.send(line({ jsonrpc: '2.0', id: 4, method: 'ping' }));
    raw.child.stdin.end();
    expect(await raw.exited).toEqual({ code: 0, signal: null });
    const [first, parseError, second, notFound, pong, ...rest] = raw.messages();
    expect(first).toMatchObject({ jsonrpc: '2.0', id: 1, result: { protocolVersion: '2024-11-05' } });
    expect(parseError).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    expect(second).toMatchObject({ jsonrpc: '2.0', id: 'two', result: { protocolVersion: '2025-11-25' } });
    expect(notFound).toEqual({
      jsonrpc: '2.0',
      id: 3,
      error: { code: -32601, message: 'Method not found: no/such' },
    });
    expect(pong).toEqual({ jsonrpc: '2.0', id: 4, result: {} });
    expect(rest).toEqual([]);
  });

  it('stops a cancelled slow call: no more progress and no response', async () => {
    const raw = spawnRaw();
    const params = { name: 'slow', arguments: { ms: 300, steps: 3 }, _meta: { progressToken: 'tok' } };
    raw.send(line({ jsonrpc: '2.0', id: 9, method: 'tools/call', params }));
    await expect.poll(() => raw.messages().length).toBe(1);
    raw.send(line({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 9 } }));
    await sleep(400);
    raw.send(line({ jsonrpc: '2.0', id: 10, method: 'tools/call', params: { name: 'cancelled' } }));
    await expect.poll(() => raw.messages().length).toBe(2);
    expect(raw.messages()).toEqual([
      {
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken: 'tok', progress: 1, total: 3, message: 'step 1 of 3' },
      },
      { jsonrpc: '2.0', id: 10, result: { content: [{ type: 'text', text: '[9]' }] } },
    ]);
  });

  it('--exit-on-start exits at once with the code and says why on stderr', async () => {
    const raw = spawnRaw(['--exit-on-start=7']);
    expect(await raw.exited).toEqual({ code: 7, signal: null });
    expect(raw.stderr()).toBe('fixture: exiting on start\n');
  });

  it('--delay-start-ms reads nothing until the delay has passed', async () => {
    const raw = spawnRaw(['--delay-start-ms=300']);
    const started = performance.now();
    raw.send(line({ jsonrpc: '2.0', id: 1, method: 'ping' }));
    await expect
      .poll(() => raw.messages(), { timeout: 3_000 })
      .toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('--stay-after-stdin-close and --ignore-sigterm leave only SIGKILL', async () => {
    const raw = spawnRaw(['--stay-after-stdin-close', '--ignore-sigterm']);
    raw.send(line({ jsonrpc: '2.0', id: 1, method: 'ping' }));
    await expect.poll(() => raw.messages().length).toBe(1);
    raw.child.stdin.end();
    raw.child.kill('SIGTERM');
    await expect.poll(() => raw.stderr()).toContain('fixture: ignoring SIGTERM');
    await sleep(100);
    expect(raw.child.exitCode).toBeNull();
    raw.child.kill('SIGKILL');
    expect(await raw.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });
});
