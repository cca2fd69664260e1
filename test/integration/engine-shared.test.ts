import { afterEach, describe, expect, it } from 'vitest';
import { ServerRuntime } from '../../src/main/core/routing/server-runtime';
import { EngineTestClient, fixtureConfig } from '../support/engine-client';
import { until } from '../support/processes';

const runtimes: ServerRuntime[] = [];
async function started(config = fixtureConfig('shared')): Promise<ServerRuntime> {
  const r = new ServerRuntime(config);
  runtimes.push(r);
  await r.start();
  return r;
}
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.stop()));
});

type ClientInfo = {
  initializeCount: number;
  initializedCount: number;
  logLevel: string | null;
  subscriptions: string[];
};
async function serverView(client: EngineTestClient): Promise<ClientInfo> {
  return JSON.parse(await client.call('client_info')) as ClientInfo;
}

describe('shared mode', () => {
  it('runs every session on one process, forwarding initialize and initialized once', async () => {
    const r = await started();
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    expect(a.session.pid).toBe(b.session.pid);
    expect(await a.call('pid')).toBe(String(a.session.pid));
    const view = await serverView(b);
    expect(view.initializeCount).toBe(1);
    expect(view.initializedCount).toBe(1);
    // The second client got the cached result under its own id, and its own details are kept.
    const initB = b.delivered.find((d) => d.msg.id === 1)!;
    expect(initB.msg).toMatchObject({ id: 1, result: { serverInfo: { name: 'patchbay-fixture' } } });
    expect(b.session.client.clientInfo?.name).toBe('b');
  });

  it('gives two sessions using the same ids only their own responses and progress', async () => {
    const r = await started();
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    // Both clients number from 1, so after initialize both send id 2 and the same token.
    const [ra, rb] = await Promise.all([
      a.request('tools/call', {
        name: 'slow',
        arguments: { ms: 200, steps: 4 },
        _meta: { progressToken: 1 },
      }),
      b.request('tools/call', {
        name: 'slow',
        arguments: { ms: 100, steps: 2 },
        _meta: { progressToken: 1 },
      }),
    ]);
    expect(ra.id).toBe(2);
    expect(rb.id).toBe(2);
    expect(ra.error ?? rb.error).toBeUndefined();
    const pa = a.notifications('notifications/progress');
    const pb = b.notifications('notifications/progress');
    expect(pa.map((p) => p.msg.params?.['total'])).toEqual([4, 4, 4, 4]);
    expect(pb.map((p) => p.msg.params?.['total'])).toEqual([2, 2]);
    expect([...pa, ...pb].every((p) => p.msg.params?.['progressToken'] === 1 && p.related === 2)).toBe(true);
    // Each got exactly one response for id 2.
    expect(a.delivered.filter((d) => d.msg.id === 2)).toHaveLength(1);
    expect(b.delivered.filter((d) => d.msg.id === 2)).toHaveLength(1);
  });

  it('restores ids exactly, type included', async () => {
    const r = await started();
    const a = await EngineTestClient.connect(r, 'a');
    for (const id of ['7', 7, 'req-ü', 0, 1.5]) {
      const res = await a.request('tools/call', { name: 'echo', arguments: { text: String(id) } }, id);
      expect(res.id).toStrictEqual(id);
      expect(JSON.parse(a.delivered.find((d) => d.msg.id === id)!.raw)).toMatchObject({ id });
    }
  });

  it('sends a sampling request raised during B’s call to B, not A', async () => {
    const r = await started();
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    expect(await b.call('sample', { prompt: 'hi' })).toBe('sampled: from b');
    expect(a.delivered.some((d) => d.msg.method === 'sampling/createMessage')).toBe(false);
    expect(await a.call('roots')).toContain('file:///a');
    expect(b.delivered.some((d) => d.msg.method === 'roots/list')).toBe(false);
  });

  it('initializes the process with every client capability, so a later client that can sample may', async () => {
    const r = await started();
    const plain = await EngineTestClient.connect(r, 'plain', {});
    const view = JSON.parse(await plain.call('client_info')) as { lastInitialize: { capabilities: object } };
    expect(view.lastInitialize.capabilities).toEqual({ sampling: {}, elicitation: {}, roots: {} });
    expect(plain.session.client.capabilities).toEqual({}); // the session keeps its own
    const capable = await EngineTestClient.connect(r, 'capable');
    expect(await capable.call('sample', { prompt: 'x' })).toBe('sampled: from capable');
  });

  it('answers for a client that lacks the capability, and never asks another client', async () => {
    const r = await started();
    const plain = await EngineTestClient.connect(r, 'plain', {});
    const capable = await EngineTestClient.connect(r, 'capable');
    expect(await plain.call('sample', { prompt: 'x' })).toMatch(
      /cannot handle sampling\/createMessage \(it did not declare the capability\)/,
    );
    expect(await plain.call('roots')).toBe('[]');
    expect(JSON.parse(await plain.call('elicit', { message: 'name?' }))).toEqual({ action: 'decline' });
    expect(capable.delivered.filter((d) => 'id' in d.msg && d.msg.method !== undefined)).toEqual([]);
    expect(await plain.call('ping_client')).toBe('pong'); // ping needs no capability
  });

  it('refuses a server request while two sessions have requests in flight', async () => {
    const r = await started();
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    void a.request('tools/call', { name: 'hang', arguments: {} }, 'h');
    await until(() => a.session.pendingCount === 1, 2000, 'a in flight');
    expect(await b.call('sample', { prompt: 'secret of b' })).toMatch(
      /cannot tell which client sampling\/createMessage is for: 2 clients have requests in flight/,
    );
    const asked = (c: EngineTestClient) =>
      c.delivered.filter((d) => d.msg.method === 'sampling/createMessage');
    expect(asked(a)).toEqual([]);
    expect(asked(b)).toEqual([]);
  });

  it('broadcasts list_changed to every session', async () => {
    const r = await started();
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    await a.call('notify_list_changed', { kind: 'tools' });
    await b.waitFor((d) => d.msg.method === 'notifications/tools/list_changed');
    expect(a.notifications('notifications/tools/list_changed')).toHaveLength(1);
    expect(b.notifications('notifications/tools/list_changed')[0]!.related).toBeUndefined();
  });

  it('reference-counts resource subscriptions and routes updates to subscribers only', async () => {
    const r = await started();
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    const c = await EngineTestClient.connect(r, 'c');
    expect((await a.request('resources/subscribe', { uri: 'fixture://a' })).error).toBeUndefined();
    expect((await b.request('resources/subscribe', { uri: 'fixture://a' })).error).toBeUndefined();
    expect((await serverView(c)).subscriptions).toEqual(['fixture://a']);
    await c.call('update_resource', { uri: 'fixture://a' });
    await a.waitFor((d) => d.msg.method === 'notifications/resources/updated');
    await b.waitFor((d) => d.msg.method === 'notifications/resources/updated');
    expect(c.notifications('notifications/resources/updated')).toHaveLength(0);

    await a.request('resources/unsubscribe', { uri: 'fixture://a' });
    expect((await serverView(c)).subscriptions).toEqual(['fixture://a']); // b still wants it
    await b.session.close();
    expect((await serverView(c)).subscriptions).toEqual([]); // last subscriber gone: unsubscribed
  });

  it('bounds the subscriptions one session holds (each is replayed after a crash)', async () => {
    const r = await started();
    const a = await EngineTestClient.connect(r, 'a');
    const uris = Array.from({ length: 1024 }, (_, i) => `fixture://many/${i}`);
    // One at a time: the test client's waitFor scans every delivery for every waiter.
    for (const uri of uris) expect((await a.request('resources/subscribe', { uri })).error).toBeUndefined();
    // Subscribing again to one it holds is fine; one more is refused, clearly.
    expect((await a.request('resources/subscribe', { uri: uris[0] })).error).toBeUndefined();
    const refused = await a.request('resources/subscribe', { uri: 'fixture://many/one-too-many' });
    expect(refused.error?.message).toMatch(/at most 1024 resource subscriptions/);
    await a.request('resources/unsubscribe', { uri: uris[0] });
    expect(
      (await a.request('resources/subscribe', { uri: 'fixture://many/one-too-many' })).error,
    ).toBeUndefined();
  });

  it('keeps a log level per session and sets the server to the most verbose', async () => {
    const r = await started();
    const quiet = await EngineTestClient.connect(r, 'quiet');
    const chatty = await EngineTestClient.connect(r, 'chatty');
    await quiet.request('logging/setLevel', { level: 'error' });
    await chatty.request('logging/setLevel', { level: 'debug' });
    expect((await serverView(quiet)).logLevel).toBe('debug');
    await quiet.call('log', { level: 'info', message: 'for chatty only' });
    await chatty.call('log', { level: 'info', message: 'mine' });
    await quiet.call('log', { level: 'error', message: 'loud' });
    expect(quiet.notifications('notifications/message').map((d) => d.msg.params?.['data'])).toEqual(['loud']);
    expect(chatty.notifications('notifications/message').map((d) => d.msg.params?.['data'])).toEqual([
      'mine',
    ]);
  });

  it('remaps notifications/cancelled to the proxy id and leaves the other session alone', async () => {
    const r = await started();
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    void a.request('tools/call', { name: 'hang', arguments: {} }, 'h');
    await until(() => a.session.pendingCount === 1, 2000, 'pending');
    a.notify('notifications/cancelled', { requestId: 'h' });
    const cancelled = JSON.parse(await b.call('cancelled')) as unknown[];
    expect(cancelled).toHaveLength(1);
    expect(typeof cancelled[0]).toBe('number'); // the proxy's id, not the client's "h"
    expect(a.session.pendingCount).toBe(0);
    expect(await a.call('echo', { text: 'ok' })).toBe('ok');
  });

  it('cancels a closing session’s requests on the server', async () => {
    const r = await started();
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    void a.request('tools/call', { name: 'hang', arguments: {} });
    await until(() => a.session.pendingCount === 1, 2000, 'pending');
    await a.session.close();
    expect(JSON.parse(await b.call('cancelled'))).toHaveLength(1);
  });
});
