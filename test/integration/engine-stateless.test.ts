import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, type PatchbayError } from '../../src/main/core/errors';
import type { JsonRpcMessage, JsonRpcRequest } from '../../src/main/core/jsonrpc/message';
import { ServerRuntime, type ServerRuntimeConfig } from '../../src/main/core/routing/server-runtime';
import type { CallSink } from '../../src/main/core/routing/stateless-mux';
import { EngineTestClient, STATELESS_FIXTURE } from '../support/engine-client';
import { until } from '../support/processes';

const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'stateless-test', version: '1' },
};

const runtimes: ServerRuntime[] = [];
async function started(mode: ServerRuntimeConfig['mode'], flags: string[] = []): Promise<ServerRuntime> {
  const r = new ServerRuntime({ command: process.execPath, args: [STATELESS_FIXTURE, ...flags], mode });
  runtimes.push(r);
  await r.start();
  return r;
}
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.stop()));
});

/** What one POST stream would receive. */
class Stream implements CallSink {
  readonly messages: (JsonRpcMessage & {
    id?: unknown;
    method?: string;
    params?: Record<string, unknown>;
    result?: unknown;
  })[] = [];
  ended = false;
  deliver(msg: JsonRpcMessage): void {
    this.messages.push(msg);
  }
  end(): void {
    this.ended = true;
  }
  response() {
    return this.messages.find((m) => !('method' in m));
  }
}

function request(id: string | number, method: string, params: Record<string, unknown> = {}): JsonRpcRequest {
  return {
    jsonrpc: '2.0',
    id,
    method,
    params: { ...params, _meta: { ...META, ...(params['_meta'] as object) } },
  };
}

async function call(r: ServerRuntime, msg: JsonRpcRequest): Promise<Stream> {
  const stream = new Stream();
  await r.statelessCall(msg, stream);
  await until(() => stream.ended, 3000, `the answer to ${msg.method}`);
  return stream;
}

describe.each(['isolated', 'shared'] as const)('stateless requests (2026-07-28), %s mode', (mode) => {
  it('learns at start that the server speaks 2026-07-28 and forwards _meta untouched', async () => {
    const r = await started(mode);
    expect(await r.protocolSupport()).toMatchObject({ stateless: true, versions: ['2026-07-28'] });
    const stream = await call(
      r,
      request('w', 'tools/call', { name: 'whoami', arguments: {}, _meta: { 'x.test/k': 1 } }),
    );
    const res = stream.response() as { id: unknown; result: { content: { text: string }[] } };
    expect(res.id).toBe('w');
    expect(JSON.parse(res.result.content[0]!.text)).toMatchObject({ ...META, 'x.test/k': 1 });
  });

  it('keeps concurrent requests with the same id apart, progress included', async () => {
    const r = await started(mode);
    const slowA = request(1, 'tools/call', {
      name: 'slow',
      arguments: { ms: 150, steps: 3 },
      _meta: { progressToken: 't' },
    });
    const slowB = request(1, 'tools/call', {
      name: 'slow',
      arguments: { ms: 50, steps: 2 },
      _meta: { progressToken: 't' },
    });
    const [a, b] = await Promise.all([call(r, slowA), call(r, slowB)]);
    const progress = (s: Stream) => s.messages.filter((m) => m.method === 'notifications/progress');
    expect(progress(a).map((m) => m.params?.['total'])).toEqual([3, 3, 3]);
    expect(progress(b).map((m) => m.params?.['total'])).toEqual([2, 2]);
    expect([...progress(a), ...progress(b)].every((m) => m.params?.['progressToken'] === 't')).toBe(true);
    expect(a.response()?.id).toBe(1);
    expect(b.response()?.id).toBe(1);
  });

  it('sends notifications/cancelled with the proxy id when the client stream closes', async () => {
    const r = await started(mode);
    const stream = new Stream();
    const handle = await r.statelessCall(
      request('s', 'tools/call', { name: 'slow', arguments: { ms: 5000, steps: 1 } }),
      stream,
    );
    await new Promise((res) => setTimeout(res, 50));
    handle.cancel();
    const cancelled = await call(r, request('c', 'tools/call', { name: 'cancelled', arguments: {} }));
    const ids = JSON.parse(
      (cancelled.response() as { result: { content: { text: string }[] } }).result.content[0]!.text,
    ) as unknown[];
    expect(ids).toEqual([handle.proxyId]);
    expect(stream.messages).toEqual([]);
  });

  it('routes listen notifications by subscription id and restores the client’s id', async () => {
    const r = await started(mode);
    const listen = new Stream();
    const handle = await r.statelessCall(
      request('L1', 'subscriptions/listen', { notifications: { resourceSubscriptions: ['file:///a'] } }),
      listen,
    );
    const other = new Stream();
    await r.statelessCall(
      request('L1', 'subscriptions/listen', { notifications: { resourceSubscriptions: ['file:///b'] } }),
      other,
    );
    await until(() => listen.messages.length > 0 && other.messages.length > 0, 3000, 'acknowledgements');
    await call(r, request(9, 'tools/call', { name: 'notify', arguments: { uri: 'file:///a' } }));
    await until(
      () => listen.messages.some((m) => m.method === 'notifications/resources/updated'),
      3000,
      'updated',
    );
    const updated = listen.messages.find((m) => m.method === 'notifications/resources/updated')!;
    expect(updated.params).toMatchObject({
      uri: 'file:///a',
      _meta: { 'io.modelcontextprotocol/subscriptionId': 'L1' },
    });
    expect(listen.messages[0]!.method).toBe('notifications/subscriptions/acknowledged');
    expect(other.messages.some((m) => m.method === 'notifications/resources/updated')).toBe(false);
    handle.cancel();
    expect(listen.ended).toBe(true);
  });

  it('still serves classic sessions beside stateless traffic', async () => {
    const r = await started(mode);
    await call(r, request(1, 'tools/list'));
    const client = await EngineTestClient.connect(r, 'classic');
    expect(await client.call('echo', { text: 'legacy ok' })).toBe('legacy ok');
  });
});

describe('a server that does not speak 2026-07-28', () => {
  it('bridges the request onto a legacy session (PROTOCOL.md "The 2026-07-28 bridge")', async () => {
    const r = await started('isolated', ['--legacy-only']);
    expect(await r.protocolSupport()).toMatchObject({ stateless: false, versions: ['2025-11-25'] });
    const s = await call(r, request(1, 'tools/list'));
    expect(s.response()).toMatchObject({
      id: 1,
      result: { resultType: 'complete', tools: expect.any(Array) as unknown },
    });
    // A revision nothing here serves is still refused, naming only 2026-07-28.
    const err = (await r
      .statelessCall(
        request(2, 'tools/list', { _meta: { 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } }),
        new Stream(),
      )
      .catch((e: unknown) => e)) as PatchbayError;
    expect(err.code).toBe(ErrorCode.UnsupportedProtocolVersion);
    expect(err.data).toEqual({ supported: ['2026-07-28'], requested: '2099-01-01' });
  });

  it('treats a fixture speaking only the handshake (our own) the same way', async () => {
    const r = new ServerRuntime({
      command: process.execPath,
      args: [STATELESS_FIXTURE.replace('stateless-server', 'fixture-server')],
      mode: 'shared',
    });
    runtimes.push(r);
    await r.start();
    expect(await r.protocolSupport()).toMatchObject({ stateless: false, versions: ['2025-11-25'] });
  });
});
