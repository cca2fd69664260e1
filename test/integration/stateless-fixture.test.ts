import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// Talks raw JSON lines to test/fixtures/stateless-server.mjs, the 2026-07-28 + 2025-11-25 fixture.
const fixture = resolve(import.meta.dirname, '../fixtures/stateless-server.mjs');
const MODERN = '2026-07-28';
const SUB_ID = 'io.modelcontextprotocol/subscriptionId';
const SERVER_INFO = 'io.modelcontextprotocol/serverInfo';

interface Message {
  jsonrpc: '2.0';
  id?: string | number | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

/** The per-request envelope, with `extra` keys merged in. */
function envelope(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientInfo': { name: 'fixture-test', version: '0.0.1' },
    'io.modelcontextprotocol/clientCapabilities': {},
    ...extra,
  };
}

class Wire {
  readonly received: Message[] = [];
  private buffer = '';
  private readonly exited: Promise<void>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        this.received.push(JSON.parse(this.buffer.slice(0, newline)) as Message);
        this.buffer = this.buffer.slice(newline + 1);
      }
    });
    this.exited = new Promise((done) => child.once('exit', () => done()));
  }

  send(message: Record<string, unknown>): void {
    this.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\n');
  }

  /** Resolves with the first received message matching `match`, failing after `timeoutMs`. */
  async waitFor(match: (m: Message) => boolean, timeoutMs = 1_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`no matching message in ${timeoutMs} ms; got ${JSON.stringify(this.received)}`);
      }
      await sleep(5);
    }
  }

  /** Sends a request and resolves with its response. */
  async request(id: string | number, method: string, params?: Record<string, unknown>): Promise<Message> {
    this.send({ id, method, ...(params === undefined ? {} : { params }) });
    return this.waitFor((m) => m.id === id && m.method === undefined);
  }

  /** A stateless 2026-07-28 `tools/call`. */
  call(id: string | number, name: string, args: Record<string, unknown> = {}, meta = envelope()) {
    return this.request(id, 'tools/call', { name, arguments: args, _meta: meta });
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    await this.exited;
  }
}

const open: Wire[] = [];
function start(...args: string[]): Wire {
  const wire = new Wire(spawn(process.execPath, [fixture, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }));
  open.push(wire);
  return wire;
}
afterEach(() => {
  for (const wire of open.splice(0)) wire.child.kill('SIGKILL');
});

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
function textOf(response: Message): string {
  const content = response.result?.content as { text: string }[] | undefined;
  return content?.[0]?.text ?? '';
}

describe('stateless fixture (2026-07-28)', () => {
  it('answers server/discover without pinning the process, so initialize still works after it', async () => {
    const wire = start();
    const discover = await wire.request(1, 'server/discover', { _meta: envelope() });
    expect(discover.result).toEqual({
      resultType: 'complete',
      supportedVersions: [MODERN],
      capabilities: { tools: { listChanged: true }, resources: { subscribe: true, listChanged: true } },
      instructions: 'A Patchbay test fixture.',
      ttlMs: 0,
      cacheScope: 'private',
      _meta: { [SERVER_INFO]: { name: 'stateless-fixture', version: '1.0.0' } },
    });
    const init = await wire.request(2, 'initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'legacy', version: '1' },
    });
    expect(init.result).toMatchObject({
      protocolVersion: '2025-11-25',
      serverInfo: { name: 'stateless-fixture' },
    });
    expect(init.result).not.toHaveProperty('resultType');
  });

  it('serves stateless tools/list and tools/call, and whoami returns the _meta exactly as sent', async () => {
    const wire = start();
    const list = await wire.request('l', 'tools/list', { _meta: envelope() });
    expect(list.result).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'private' });
    expect((list.result?.tools as { name: string }[]).map((t) => t.name)).toEqual([
      'echo',
      'slow',
      'cancelled',
      'whoami',
      'notify',
      'ask',
    ]);
    const echo = await wire.call(1, 'echo', { text: 'hi' });
    expect(echo.result).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: 'hi' }] });
    const meta = envelope({ progressToken: 'p1', 'com.example/trace': { a: 1 } });
    const whoami = await wire.call('w', 'whoami', {}, meta);
    expect(JSON.parse(textOf(whoami))).toEqual(meta);
  });

  it('rejects what the spec rejects: missing _meta, bad envelope, unknown version, removed methods', async () => {
    const wire = start();
    const bare = await wire.request(1, 'tools/call', { name: 'echo', arguments: { text: 'x' } });
    expect(bare.error?.code).toBe(-32602);
    const noCaps = envelope();
    delete noCaps['io.modelcontextprotocol/clientCapabilities'];
    expect((await wire.call(2, 'echo', { text: 'x' }, noCaps)).error).toMatchObject({
      code: -32602,
      data: { envelope: { key: 'io.modelcontextprotocol/clientCapabilities', problem: 'missing' } },
    });
    const future = envelope({ 'io.modelcontextprotocol/protocolVersion': '2099-01-01' });
    expect((await wire.call(3, 'echo', { text: 'x' }, future)).error).toEqual({
      code: -32022,
      message: 'Unsupported protocol version: 2099-01-01',
      data: { supported: [MODERN], requested: '2099-01-01' },
    });
    expect((await wire.request(4, 'ping', { _meta: envelope() })).error?.code).toBe(-32601);
    // Nothing above pinned the process; a valid stateless request does, and then initialize is refused.
    await wire.call(5, 'echo', { text: 'pin' });
    const init = await wire.request(6, 'initialize', { protocolVersion: '2025-11-25', capabilities: {} });
    expect(init.error).toMatchObject({
      code: -32022,
      data: { supported: [MODERN], requested: '2025-11-25' },
    });
  });

  it('reports progress for a progressToken, and a cancelled request is never answered', async () => {
    const wire = start();
    const done = await wire.call(1, 'slow', { ms: 60, steps: 3 }, envelope({ progressToken: 7 }));
    expect(textOf(done)).toBe('slept 60 ms in 3 steps');
    const progress = wire.received.filter((m) => m.method === 'notifications/progress').map((m) => m.params);
    expect(progress).toEqual(
      [1, 2, 3].map((p) => ({ progressToken: 7, progress: p, total: 3, message: `step ${p} of 3` })),
    );

    wire.send({
      id: 'slow-2',
      method: 'tools/call',
      params: { name: 'slow', arguments: { ms: 200, steps: 4 }, _meta: envelope({ progressToken: 'c' }) },
    });
    await wire.waitFor((m) => m.method === 'notifications/progress' && m.params?.progressToken === 'c');
    wire.send({ method: 'notifications/cancelled', params: { requestId: 'slow-2', reason: 'test' } });
    const cancelled = await wire.call(2, 'cancelled');
    expect(cancelled.result?.structuredContent).toEqual({ ids: ['slow-2'] });
    const seen = wire.received.length;
    await sleep(300);
    expect(wire.received.slice(seen)).toEqual([]);
    expect(wire.received.some((m) => m.id === 'slow-2')).toBe(false);
  });

  it('delivers resources/updated on subscriptions/listen, tagged with each subscription id', async () => {
    const wire = start();
    wire.send({
      id: 'L1',
      method: 'subscriptions/listen',
      params: {
        _meta: envelope(),
        notifications: {
          toolsListChanged: true,
          promptsListChanged: true,
          resourceSubscriptions: ['file:///a'],
        },
      },
    });
    wire.send({
      id: 7,
      method: 'subscriptions/listen',
      params: { _meta: envelope(), notifications: { resourceSubscriptions: ['file:///a', 'file:///b'] } },
    });
    const ack = await wire.waitFor(
      (m) =>
        m.method === 'notifications/subscriptions/acknowledged' &&
        m.params?._meta !== undefined &&
        (m.params._meta as Record<string, unknown>)[SUB_ID] === 'L1',
    );
    // No prompts here: promptsListChanged is dropped from the honoured subset.
    expect(ack.params).toEqual({
      notifications: { toolsListChanged: true, resourceSubscriptions: ['file:///a'] },
      _meta: { [SUB_ID]: 'L1' },
    });
    await wire.waitFor(
      (m) =>
        m.method === 'notifications/subscriptions/acknowledged' &&
        (m.params?._meta as Record<string, unknown>)[SUB_ID] === 7,
    );

    const updates = () =>
      wire.received.filter((m) => m.method === 'notifications/resources/updated').map((m) => m.params);
    await wire.call(1, 'notify', { uri: 'file:///a' });
    await wire.call(2, 'notify', { uri: 'file:///b', listChanged: true });
    expect(updates()).toEqual([
      { uri: 'file:///a', _meta: { [SUB_ID]: 'L1' } },
      { uri: 'file:///a', _meta: { [SUB_ID]: 7 } },
      { uri: 'file:///b', _meta: { [SUB_ID]: 7 } },
    ]);
    expect(
      wire.received.filter((m) => m.method === 'notifications/tools/list_changed').map((m) => m.params),
    ).toEqual([{ _meta: { [SUB_ID]: 'L1' } }]);

    // The client ends L1 (stdio: notifications/cancelled); the server ends 7 gracefully when stdin closes.
    wire.send({ method: 'notifications/cancelled', params: { requestId: 'L1' } });
    await wire.call(3, 'notify', { uri: 'file:///a' });
    expect(updates()).toHaveLength(4);
    expect(updates()[3]).toEqual({ uri: 'file:///a', _meta: { [SUB_ID]: 7 } });
    await wire.close();
    expect(wire.received.filter((m) => m.id === 'L1')).toEqual([]);
    expect(wire.received.find((m) => m.id === 7)).toEqual({
      jsonrpc: '2.0',
      id: 7,
      result: {
        resultType: 'complete',
        _meta: { [SUB_ID]: 7, [SERVER_INFO]: { name: 'stateless-fixture', version: '1.0.0' } },
      },
    });
  });

  it('asks for input with an InputRequiredResult and completes on the retry (MRTR)', async () => {
    const wire = start();
    const caps = envelope({ 'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } } });
    const first = await wire.call(1, 'ask', {}, caps);
    expect(first.result).toMatchObject({
      resultType: 'input_required',
      inputRequests: {
        name: { method: 'elicitation/create', params: { mode: 'form', message: 'Who are you?' } },
      },
      requestState: 'ask-1',
    });
    const retry = await wire.request(2, 'tools/call', {
      name: 'ask',
      arguments: {},
      inputResponses: { name: { action: 'accept', content: { name: 'Ada' } } },
      requestState: 'ask-1',
      _meta: caps,
    });
    expect(retry.result).toMatchObject({
      resultType: 'complete',
      content: [{ type: 'text', text: 'hello Ada' }],
    });
    expect((await wire.call(3, 'ask')).error).toMatchObject({
      code: -32021,
      data: { requiredCapabilities: { elicitation: { form: {} } } },
    });
  });
});

describe('stateless fixture, 2025 side', () => {
  it('serves a legacy session after initialize: no _meta needed, no server/discover, unsolicited updates', async () => {
    const wire = start();
    await wire.request(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {} });
    wire.send({ method: 'notifications/initialized' });
    const echo = await wire.request(2, 'tools/call', { name: 'echo', arguments: { text: 'old' } });
    expect(echo.result).toEqual({ content: [{ type: 'text', text: 'old' }] });
    expect((await wire.request(3, 'server/discover', { _meta: envelope() })).error?.code).toBe(-32601);
    await wire.request(4, 'resources/subscribe', { uri: 'fixture://note' });
    await wire.request(5, 'tools/call', { name: 'notify', arguments: { uri: 'fixture://note' } });
    expect(wire.received.find((m) => m.method === 'notifications/resources/updated')?.params).toEqual({
      uri: 'fixture://note',
    });
  });

  it('--legacy-only answers server/discover with -32601 and serves requests without initialize', async () => {
    const wire = start('--legacy-only');
    expect((await wire.request(1, 'server/discover', { _meta: envelope() })).error).toEqual({
      code: -32601,
      message: 'Method not found',
    });
    const whoami = await wire.call(2, 'whoami');
    expect(whoami.result).not.toHaveProperty('resultType');
    expect(JSON.parse(textOf(whoami))).toEqual(envelope());
    const init = await wire.request(3, 'initialize', { protocolVersion: '2025-11-25', capabilities: {} });
    expect(init.result).toMatchObject({ protocolVersion: '2025-11-25' });
  });

  it('survives garbage lines and CRLF', async () => {
    const wire = start();
    wire.child.stdin.write('not json\r\n');
    expect((await wire.waitFor((m) => m.id === null)).error?.code).toBe(-32700);
    wire.child.stdin.write(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: envelope() } }) + '\r\n',
    );
    expect((await wire.waitFor((m) => m.id === 1)).result).toHaveProperty('tools');
  });
});
