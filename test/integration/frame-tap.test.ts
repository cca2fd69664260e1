import { afterEach, describe, expect, it } from 'vitest';
import { type Endpoint, startEndpoint } from '../../src/main/core/http/endpoint-server';
import { ServerRuntime } from '../../src/main/core/routing/server-runtime';
import { STATELESS_FIXTURE, fixtureConfig } from '../support/engine-client';
import { until } from '../support/processes';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function serve(mode: 'isolated' | 'shared'): Promise<{ runtime: ServerRuntime; endpoint: Endpoint }> {
  const runtime = new ServerRuntime(fixtureConfig(mode, { id: 'fixture' }));
  await runtime.start();
  cleanup.push(() => runtime.stop());
  const endpoint = await startEndpoint(runtime, { keepAliveMs: 50 });
  cleanup.push(() => endpoint.close());
  return { runtime, endpoint };
}

const ACCEPT = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

async function initialize(url: string): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: ACCEPT,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'tap-test', version: '1' },
      },
    }),
  });
  await res.text();
  return res.headers.get('mcp-session-id')!;
}

describe.each(['isolated', 'shared'] as const)('the frame tap, %s mode', (mode) => {
  it('records all four legs of a tool call, the client leg with the exact SSE bytes it got', async () => {
    const { runtime, endpoint } = await serve(mode);
    const session = await initialize(endpoint.url);
    const body =
      '{"jsonrpc":"2.0","id":"call-1","method":"tools/call","params":{"name":"echo","arguments":{"text":"tap me"}}}';
    const res = await fetch(endpoint.url, {
      method: 'POST',
      // SSE only: with JSON also accepted, a call that streams nothing is answered as JSON.
      headers: { ...ACCEPT, accept: 'text/event-stream', 'mcp-session-id': session },
      body,
    });
    const wire = await res.text();
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    await new Promise((r) => setImmediate(r));

    const frames = runtime.frames.since().filter((f) => f.sessionId === session || f.transport === 'stdio');
    const inbound = frames.find((f) => f.leg === 'client→proxy' && f.rpcId === 'call-1')!;
    expect(inbound).toMatchObject({ transport: 'http', kind: 'request', method: 'tools/call', raw: body });
    const toServer = frames.filter((f) => f.leg === 'proxy→server' && f.method === 'tools/call').at(-1)!;
    const fromServer = frames.filter((f) => f.leg === 'server→proxy' && f.kind === 'response').at(-1)!;
    if (mode === 'isolated') {
      expect(toServer.raw).toBe(body); // forwarded byte for byte
      expect(toServer.sessionId).toBe(session);
    } else {
      expect(typeof toServer.rpcId).toBe('number'); // rewritten to a proxy id
    }
    expect(fromServer.rpcId).toBe(toServer.rpcId);
    expect(fromServer.latencyMs).toBeGreaterThanOrEqual(0);
    const outbound = frames.find((f) => f.leg === 'proxy→client' && f.rpcId === 'call-1')!;
    expect(outbound).toMatchObject({ transport: 'sse', kind: 'response' });
    expect(outbound.raw).toBe(wire); // the exact SSE frame, `id:`/`event:`/`data:` lines included
    expect(outbound.raw).toMatch(/^id: \S+\nevent: message\ndata: \{.*"tap me".*\}\n\n$/);
    expect(outbound.latencyMs).toBeGreaterThanOrEqual(0);
    expect(outbound.bytes).toBe(Buffer.byteLength(wire));
  });

  it('records keep-alives and noise, and redacts secrets on every leg', async () => {
    const { runtime, endpoint } = await serve(mode);
    runtime.frames.redactor.setSecrets(['sk-live-1234567']);
    const session = await initialize(endpoint.url);
    const get = await fetch(endpoint.url, {
      headers: { accept: 'text/event-stream', 'mcp-session-id': session },
    });
    const reader = get.body!.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 150));
    await reader.cancel();
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 5,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'key sk-live-1234567' } },
    });
    await (
      await fetch(endpoint.url, { method: 'POST', headers: { ...ACCEPT, 'mcp-session-id': session }, body })
    ).text();
    await fetch(endpoint.url, {
      method: 'POST',
      headers: { ...ACCEPT, 'mcp-session-id': session },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 6,
        method: 'tools/call',
        params: { name: 'noise', arguments: { lines: 1 } },
      }),
    }).then((r) => r.text());
    const frames = runtime.frames.since();
    expect(frames.some((f) => f.kind === 'keepalive' && f.raw === ': keepalive\n\n')).toBe(true);
    expect(frames.some((f) => f.kind === 'noise' && f.raw === 'noise line 1')).toBe(true);
    const withId5 = frames.filter((f) => f.raw.includes('key '));
    expect(withId5.length).toBeGreaterThanOrEqual(4);
    expect(withId5.every((f) => f.raw.includes('key [redacted]') && !f.raw.includes('sk-live'))).toBe(true);
  });

  it("marks the start-up probe as Patchbay's own, its error answer included, and the user's call as theirs", async () => {
    const { runtime, endpoint } = await serve(mode);
    await runtime.protocolSupport(); // the fixture is legacy: discover fails, then initialize
    const session = await initialize(endpoint.url);
    const probe = runtime.frames.since().filter((f) => String(f.rpcId).startsWith('patchbay-'));
    expect(probe.map((f) => [f.leg, f.kind, f.method])).toEqual([
      ['proxy→server', 'request', 'server/discover'],
      ['server→proxy', 'error', undefined],
      ['proxy→server', 'request', 'initialize'],
      ['server→proxy', 'response', undefined],
    ]);
    expect(probe.every((f) => f.by === 'patchbay')).toBe(true);
    const users = runtime.frames.since().filter((f) => f.sessionId === session);
    expect(users.length).toBeGreaterThanOrEqual(2);
    expect(users.every((f) => f.by === undefined)).toBe(true);
  });
});

describe("the frame tap and a server kept after Patchbay's probe", () => {
  it("marks the probe on the process it keeps (2026-07-28), and the traffic after it as the user's", async () => {
    const runtime = new ServerRuntime({
      command: process.execPath,
      args: [STATELESS_FIXTURE],
      mode: 'isolated',
    });
    await runtime.start();
    cleanup.push(() => runtime.stop());
    expect((await runtime.protocolSupport()).stateless).toBe(true);
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
      'io.modelcontextprotocol/clientInfo': { name: 'tap-test', version: '1' },
    };
    let ended = false;
    await runtime.statelessCall(
      { jsonrpc: '2.0', id: 'user-1', method: 'tools/list', params: { _meta: meta } },
      { deliver: () => {}, end: () => (ended = true) },
    );
    await until(() => ended, 3000, 'the answer to tools/list');
    const stdio = runtime.frames.since().filter((f) => f.transport === 'stdio');
    const discover = stdio.filter((f) => f.rpcId === 'patchbay-discover');
    expect(discover.map((f) => [f.leg, f.kind, f.by])).toEqual([
      ['proxy→server', 'request', 'patchbay'],
      ['server→proxy', 'response', 'patchbay'],
    ]);
    // Lifecycle notes (spawn, probe result, ready) are left out: this is about the messages.
    const after = stdio.filter((f) => f.seq > discover[1]!.seq && f.kind !== 'note');
    expect(after.map((f) => [f.leg, f.method ?? f.kind])).toEqual([
      ['proxy→server', 'tools/list'],
      ['server→proxy', 'response'],
    ]);
    expect(after.every((f) => f.by === undefined)).toBe(true);
  });
});
