// Shared mode: a crash of the one process fails what is in flight at once, but no session
// ends; Patchbay re-initializes the restarted process itself and every session goes on.
import { afterEach, describe, expect, it } from 'vitest';
import { ServerRuntime, type ServerRuntimeConfig } from '../../src/main/core/routing/server-runtime';
import { EngineTestClient, fixtureConfig } from '../support/engine-client';
import { until } from '../support/processes';

const runtimes: ServerRuntime[] = [];
async function started(config: Partial<ServerRuntimeConfig> = {}): Promise<ServerRuntime> {
  const r = new ServerRuntime(fixtureConfig('shared', { id: 'shared-crash', ...config }));
  runtimes.push(r);
  await r.start();
  return r;
}
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.stop()));
});

type ServerView = {
  initializeCount: number;
  initializedCount: number;
  lastInitialize: { clientInfo: { name: string }; capabilities: Record<string, unknown> };
  logLevel: string | null;
  subscriptions: string[];
};
async function serverView(client: EngineTestClient): Promise<ServerView> {
  return JSON.parse(await client.call('client_info')) as ServerView;
}

/** Kills the shared process with SIGKILL and waits until the in-flight request has failed. */
async function killUnder(
  client: EngineTestClient,
): Promise<{ pid: number; error: { code: number; message: string } }> {
  const pid = client.session.pid!;
  const inflight = client.request('tools/call', { name: 'hang', arguments: {} }, 'in-flight');
  await until(() => client.session.pendingCount === 1, 3000, 'the call in flight');
  const started = Date.now();
  process.kill(pid, 'SIGKILL');
  const res = await inflight;
  // At once, not a timeout: generous for a busy machine, far below any request timeout.
  expect(Date.now() - started).toBeLessThan(5000);
  return { pid, error: res.error! };
}

describe('shared mode after a crash', () => {
  it('fails the call in flight at once, then every session goes on with its state replayed', async () => {
    const r = await started();
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b', {});
    await a.request('logging/setLevel', { level: 'debug' });
    await b.request('logging/setLevel', { level: 'error' });
    expect((await b.request('resources/subscribe', { uri: 'fixture://a' })).error).toBeUndefined();

    const { pid, error } = await killUnder(a);
    expect(error.code).toBe(-32000);
    expect(error.message).toMatch(/SIGKILL/);

    // The next calls on the same sessions succeed; nobody sent a new initialize.
    expect(await b.call('echo', { text: 'b goes on' })).toBe('b goes on');
    expect(await a.call('echo', { text: 'a goes on' })).toBe('a goes on');
    expect(a.session.pid).not.toBe(pid);
    expect(a.ended ?? b.ended).toBeUndefined();
    expect(r.listSessions()).toHaveLength(2);
    expect([a.session.revivals, b.session.revivals]).toEqual([1, 1]);

    // Patchbay initialized the new process once, as the first client did, and replayed state.
    const view = await serverView(a);
    expect(view.initializeCount).toBe(1);
    expect(view.initializedCount).toBe(1);
    expect(view.lastInitialize.clientInfo.name).toBe('a');
    expect(view.lastInitialize.capabilities).toMatchObject({ sampling: {}, elicitation: {}, roots: {} });
    expect(view.logLevel).toBe('debug');
    expect(view.subscriptions).toEqual(['fixture://a']);
    // The replayed subscription still routes updates to its subscriber only.
    await a.call('update_resource', { uri: 'fixture://a' });
    await b.waitFor((d) => d.msg.method === 'notifications/resources/updated');
    expect(a.notifications('notifications/resources/updated')).toHaveLength(0);

    // The inspector shows the revival as Patchbay's own traffic, not the user's.
    const frames = r.frames.since();
    const replayed = frames.filter((f) => f.leg === 'proxy→server' && f.method === 'initialize');
    expect(replayed.at(-1)).toMatchObject({ by: 'patchbay' });
    expect(frames.some((f) => f.kind === 'note' && /re-initialized/.test(f.raw))).toBe(true);
  });

  it('holds a request that arrives while the process is down until the restart is initialized', async () => {
    const r = await started({ restart: { initialDelayMs: 600, maxDelayMs: 600 } });
    const a = await EngineTestClient.connect(r, 'a');
    await killUnder(a);
    expect(r.state.status).toBe('crashed');
    const answer = await a.request('tools/call', { name: 'client_info', arguments: {} });
    expect(answer.error).toBeUndefined();
    const text = (answer.result as { content: { text: string }[] }).content[0]!.text;
    // It reached the new process only after Patchbay's initialize and initialized.
    expect(JSON.parse(text)).toMatchObject({ initializeCount: 1, initializedCount: 1 });
    expect(a.ended).toBeUndefined();
  });

  it('answers at once when no restart is coming, and goes on when the server is started again', async () => {
    const r = await started({ restart: { enabled: false } });
    const a = await EngineTestClient.connect(r, 'a');
    await killUnder(a);
    await until(() => r.state.status === 'crashed', 3000, 'crashed');
    const refused = await a.request('tools/call', { name: 'echo', arguments: { text: 'x' } });
    expect(refused.error?.message).toMatch(/crashed .*restarts are off/);
    expect(a.ended).toBeUndefined();

    expect((await r.start()).status).toBe('running');
    expect(await a.call('echo', { text: 'back' })).toBe('back');
    expect((await serverView(a)).initializeCount).toBe(1);
  });

  it('fails a session’s calls in flight at a crash without ending other sessions', async () => {
    const r = await started();
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    const bCall = b.request('tools/call', { name: 'hang', arguments: {} }, 'b-hang');
    await until(() => b.session.pendingCount === 1, 3000, 'b in flight');
    const { error } = await killUnder(a);
    expect(error.code).toBe(-32000);
    expect((await bCall).error?.code).toBe(-32000);
    expect(await b.call('echo', { text: 'still here' })).toBe('still here');
    expect(a.ended ?? b.ended).toBeUndefined();
  });

  it('with no session left, lets the next client initialize the restarted process itself', async () => {
    const r = await started();
    const a = await EngineTestClient.connect(r, 'a');
    const pid = a.session.pid!;
    await a.session.close();
    process.kill(pid, 'SIGKILL');
    await until(() => r.state.status === 'crashed', 3000, 'crashed');
    await until(() => r.state.status === 'running', 5000, 'running again');
    const c = await EngineTestClient.connect(r, 'c');
    expect(c.session.pid).not.toBe(pid);
    expect(await serverView(c)).toMatchObject({
      initializeCount: 1,
      lastInitialize: { clientInfo: { name: 'c' } },
    });
  });
});
