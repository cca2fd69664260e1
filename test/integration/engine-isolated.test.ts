import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, PatchbayError } from '../../src/main/core/errors';
import { MAX_QUEUED_DURING_REVIVAL } from '../../src/main/core/routing/isolated-session';
import { ServerRuntime } from '../../src/main/core/routing/server-runtime';
import { liveChildren } from '../../src/main/core/stdio/child-registry';
import { EngineTestClient, fixtureConfig } from '../support/engine-client';
import { until, waitGone } from '../support/processes';

const runtimes: ServerRuntime[] = [];
function runtime(config = fixtureConfig('isolated')): ServerRuntime {
  const r = new ServerRuntime(config);
  runtimes.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.stop()));
});

describe('isolated mode', () => {
  it('has a warm spare before the first client and gives each session its own process', async () => {
    const r = runtime();
    const before = liveChildren().length;
    expect((await r.start()).status).toBe('running');
    // The spare is up (the probe process may be too, briefly).
    expect(liveChildren().length).toBeGreaterThan(before);

    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    const pidA = Number(await a.call('pid'));
    const pidB = Number(await b.call('pid'));
    expect(pidA).not.toBe(pidB);
    expect(a.session.pid).toBe(pidA);
    expect(await a.call('echo', { text: 'héllo' })).toBe('héllo');
    expect(a.session.client).toMatchObject({ clientInfo: { name: 'a' }, protocolVersion: '2025-06-18' });
    expect(
      r
        .listSessions()
        .map((s) => s.id)
        .sort(),
    ).toEqual([a.session.id, b.session.id].sort());
    expect(a.session.id).toMatch(/^[\x21-\x7e]{16,}$/);
  });

  it('passes messages through byte for byte and ties progress to its request', async () => {
    const r = runtime();
    await r.start();
    const a = await EngineTestClient.connect(r, 'a');
    const res = await a.request(
      'tools/call',
      { name: 'slow', arguments: { ms: 100, steps: 3 }, _meta: { progressToken: 'tok' } },
      'req-1',
    );
    expect(res.id).toBe('req-1');
    const progress = a.notifications('notifications/progress');
    expect(progress.length).toBe(3);
    expect(progress.every((p) => p.related === 'req-1' && p.msg.params?.['progressToken'] === 'tok')).toBe(
      true,
    );
    const response = a.delivered.find((d) => d.msg.id === 'req-1')!;
    expect(JSON.parse(response.raw)).toEqual(response.msg);
  });

  it('routes sampling, elicitation and roots to the session that asked', async () => {
    const r = runtime();
    await r.start();
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    expect(await b.call('sample', { prompt: 'hi' })).toBe('sampled: from b');
    expect(a.delivered.some((d) => d.msg.method === 'sampling/createMessage')).toBe(false);
    expect(await a.call('elicit', { message: 'name?' })).toContain('"name":"a"');
    expect(await b.call('roots')).toContain('file:///b');
    expect(await a.call('ping_client')).toBe('pong');
  });

  it('keeps noise and multi-megabyte lines from breaking the session', async () => {
    const r = runtime(fixtureConfig('isolated', { flags: ['--noise-on-start'] }));
    await r.start();
    const a = await EngineTestClient.connect(r, 'a');
    expect(await a.call('noise', { lines: 5 })).toContain('5');
    const big = await a.call('big', { bytes: 5 * 1024 * 1024 });
    expect(big.length).toBe(5 * 1024 * 1024);
    expect(await a.call('echo', { text: 'still fine' })).toBe('still fine');
  });

  // Issue 14: the cap bounds processes, not sessions. Formerly a third session was refused
  // while two idle ones held the processes; now the idle one's process is reclaimed.
  it('at the process cap reclaims the least-recently-active idle process; refuses only when all are busy', async () => {
    const r = runtime(fixtureConfig('isolated', { maxProcesses: 2 }));
    await r.start();
    await r.protocolSupport(); // its throwaway probe process is gone then: only the cap counts
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    await b.call('echo', { text: 'b is the more recent' });
    const pidA = a.session.pid!;
    const c = await EngineTestClient.connect(r, 'c');
    expect(await waitGone([pidA])).toEqual([]);
    expect(a.session.pid).toBeUndefined();
    expect(a.ended).toBeUndefined();
    expect(await c.call('echo', { text: 'in' })).toBe('in');
    // Every process busy (b and c each have a call in flight): a new session is refused.
    const slowB = b.call('slow', { ms: 3000, steps: 1 });
    const slowC = c.call('slow', { ms: 3000, steps: 1 });
    await until(() => b.session.pendingCount === 1 && c.session.pendingCount === 1, 2000, 'calls in flight');
    const full = await EngineTestClient.connect(r, 'd').catch((e: unknown) => e);
    expect(full).toBeInstanceOf(PatchbayError);
    expect((full as PatchbayError).code).toBe(ErrorCode.Full);
    expect((full as PatchbayError).message).toContain('All 2 processes');
    // So is a revival: a's request gets a clear error and a stays, dormant.
    const refused = await a.request('tools/call', { name: 'echo', arguments: { text: 'x' } });
    expect(refused.error?.message).toContain('All 2 processes');
    expect(a.ended).toBeUndefined();
    expect(await Promise.all([slowB, slowC])).toEqual(['done', 'done']);
    // Once something is idle again, a comes back on a new process.
    expect(await a.call('echo', { text: 'back' })).toBe('back');
    expect(a.session.revivals).toBe(1);
    expect(liveChildren().length).toBeLessThanOrEqual(2);
  });

  it('ends idle sessions and stops their process, but not one with a request in flight', async () => {
    const r = runtime(fixtureConfig('isolated', { idleTimeoutMs: 300 }));
    await r.start();
    const idle = await EngineTestClient.connect(r, 'idle');
    const busy = await EngineTestClient.connect(r, 'busy');
    const call = busy.call('slow', { ms: 900, steps: 1 });
    const end = await idle.waitEnded(3000);
    expect(end.reason).toBe('idle');
    expect(await waitGone([idle.session.pid!])).toEqual([]);
    expect(await call).toBe('done');
    expect(busy.ended).toBeUndefined();
  });

  // Issue 14: the session outlives its process (formerly it ended with process-exited).
  it('fails all 10 pending requests within 1 s when the process is killed; the session goes on', async () => {
    const r = runtime();
    await r.start();
    const a = await EngineTestClient.connect(r, 'a');
    const pending = Array.from({ length: 10 }, () =>
      a.request('tools/call', { name: 'hang', arguments: {} }),
    );
    await until(() => a.session.pendingCount === 10, 2000, '10 pending');
    const killedAt = Date.now();
    process.kill(a.session.pid!, 'SIGKILL');
    const answers = await Promise.all(pending);
    expect(Date.now() - killedAt).toBeLessThan(1000);
    expect(answers.every((res) => res.error?.message.includes('killed by SIGKILL'))).toBe(true);
    expect(a.ended).toBeUndefined();
    // The next request revives the session on a new process, without a new initialize from the client.
    expect(await a.call('echo', { text: 'again' })).toBe('again');
    expect(a.session.revivals).toBe(1);
    const b = await EngineTestClient.connect(r, 'b');
    expect(await b.call('echo', { text: 'b' })).toBe('b');
  });

  it(`queues at most ${MAX_QUEUED_DURING_REVIVAL} messages while a session is revived; the rest are refused at once`, async () => {
    // A server slow to read stdin keeps the revival waiting for its initialize answer.
    const r = runtime(fixtureConfig('isolated', { flags: ['--delay-start-ms=800'] }));
    await r.start();
    const a = await EngineTestClient.connect(r, 'a');
    const pid = a.session.pid!;
    process.kill(pid, 'SIGKILL');
    await until(() => a.session.pid === undefined, 2000, 'dormant');
    const total = MAX_QUEUED_DURING_REVIVAL + 44;
    const answers = await Promise.all(Array.from({ length: total }, () => a.request('ping')));
    const refused = answers.filter((res) => res.error?.message.includes('Too many messages'));
    expect(refused).toHaveLength(44);
    expect(answers.filter((res) => res.result !== undefined)).toHaveLength(MAX_QUEUED_DURING_REVIVAL);
    expect(a.session.revivals).toBe(1);
  });

  it('a revival whose initialize gets no answer in time fails that request clearly; the session stays', async () => {
    // Every process of this server reads nothing for a minute: initialize is never answered.
    const r = runtime(
      fixtureConfig('isolated', {
        flags: ['--delay-start-ms=60000'],
        reviveTimeoutMs: 300,
        probeTimeoutMs: 200,
        limits: { stdinCloseGraceMs: 100, sigtermGraceMs: 2000 },
      }),
    );
    await r.start();
    await r.protocolSupport(); // its throwaway probe process is gone then
    const a = new EngineTestClient('a');
    a.session = await r.openSession(a);
    const init = a.request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'a' },
    });
    await until(() => a.session.pendingCount === 1, 2000, 'initialize sent');
    process.kill(a.session.pid!, 'SIGKILL');
    expect((await init).error?.message).toContain('killed by SIGKILL');
    // The next request revives the session with its initialize, which the new process never answers.
    const failed = await a.request('ping');
    expect(failed.error?.message).toBe(
      'Could not restart the MCP server for this session: no answer to initialize in 300 ms',
    );
    expect(a.ended).toBeUndefined();
    expect(a.session.pid).toBeUndefined();
    expect(a.session.revivals).toBe(0);
    // The process that did not answer is stopped; only the warm spare is left.
    await until(() => liveChildren().length <= 1, 5000, 'the silent process stopped');
  });

  it('names the exit code and last stderr line when a request crashes the server', async () => {
    const r = runtime();
    await r.start();
    const a = await EngineTestClient.connect(r, 'a');
    const res = await a.request('tools/call', { name: 'crash', arguments: { code: 3 } });
    expect(res.error?.message).toBe('MCP server exited with code 3: fixture: crashing on request');
    expect(a.ended).toBeUndefined();
    expect(a.session.pid).toBeUndefined();
  });

  it('answers at once when the session or the server is gone', async () => {
    const r = runtime();
    await r.start();
    const a = await EngineTestClient.connect(r, 'a');
    await r.stop();
    expect(a.ended?.reason).toBe('server-stopped');
    const res = await a.request('tools/call', { name: 'echo', arguments: { text: 'x' } });
    expect(res.error?.message).toContain('closed');
    await expect(r.openSession(new EngineTestClient('late'))).rejects.toMatchObject({
      code: ErrorCode.NotRunning,
    });
  });

  it('cancels: notifications/cancelled reaches the server and the request stops being pending', async () => {
    const r = runtime();
    await r.start();
    const a = await EngineTestClient.connect(r, 'a');
    void a.request('tools/call', { name: 'hang', arguments: {} }, 'h1');
    await until(() => a.session.pendingCount === 1, 2000, 'pending');
    a.notify('notifications/cancelled', { requestId: 'h1', reason: 'user' });
    expect(a.session.pendingCount).toBe(0);
    expect(await a.call('cancelled')).toBe('["h1"]');
  });

  it('leaves no process behind after stop, grandchildren included', async () => {
    const r = runtime();
    await r.start();
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    const grandchild = Number(await a.call('spawn_child'));
    const pids = [a.session.pid!, b.session.pid!, grandchild, ...liveChildren()];
    await r.stop();
    expect(await waitGone(pids)).toEqual([]);
    expect(liveChildren()).toEqual([]);
  });
});

describe('the stdio side', () => {
  it('keeps non-JSON stdout as noise events', async () => {
    const r = runtime(fixtureConfig('isolated', { flags: ['--noise-on-start'] }));
    const noise: string[] = [];
    r.on('noise', (n) => noise.push(n.text));
    await r.start();
    const a = await EngineTestClient.connect(r, 'a');
    await a.call('noise', { lines: 2 });
    expect(noise).toContain('fixture starting up (not JSON)');
    expect(noise).toContain('noise line 2');
  });

  it('refuses new sends with a clear error when the server stops reading stdin (bounded queue)', async () => {
    const r = runtime(
      fixtureConfig('isolated', {
        flags: ['--delay-start-ms=1500'],
        limits: { maxStdinQueueBytes: 1024 * 1024 },
      }),
    );
    await r.start();
    const a = new EngineTestClient('a');
    a.session = await r.openSession(a);
    const text = 'x'.repeat(256 * 1024);
    const answers = Array.from({ length: 12 }, () =>
      a.request('tools/call', { name: 'echo', arguments: { text } }),
    );
    const results = await Promise.all(answers);
    const refused = results.filter((res) => res.error?.message.includes('not reading its stdin'));
    const served = results.filter((res) => res.result !== undefined);
    expect(refused.length).toBeGreaterThan(0);
    expect(served.length).toBeGreaterThan(0); // queued ones are delivered once it reads again
    expect(refused.length + served.length).toBe(12);
  });
});
