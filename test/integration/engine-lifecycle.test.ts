import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, PatchbayError } from '../../src/main/core/errors';
import {
  type ServerState,
  ServerRuntime,
  type ServerRuntimeConfig,
} from '../../src/main/core/routing/server-runtime';
import { liveChildren } from '../../src/main/core/stdio/child-registry';
import { StderrLog } from '../../src/main/core/stdio/stderr-log';
import { type ProcessExit, StdioProcess, describeExit } from '../../src/main/core/stdio/stdio-process';
import { EngineTestClient, FIXTURE, fixtureConfig } from '../support/engine-client';
import { until, waitGone } from '../support/processes';

const runtimes: ServerRuntime[] = [];
function runtime(config: ServerRuntimeConfig = fixtureConfig('isolated')): ServerRuntime {
  const r = new ServerRuntime(config);
  runtimes.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.stop()));
});

/** Every state the runtime reports from now on, each with the wall time it was seen. */
function recordStates(r: ServerRuntime): (ServerState & { seenAt: number })[] {
  const states: (ServerState & { seenAt: number })[] = [];
  r.on('state', (s) => states.push({ ...s, seenAt: Date.now() }));
  return states;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens a session and returns how it failed, with how long the failure took. */
async function openFailure(r: ServerRuntime): Promise<{ error: unknown; ms: number }> {
  const t0 = Date.now();
  const error = await r.openSession(new EngineTestClient('late')).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - t0 };
}

// Each test is bounded well below the project's 30 s: a hang fails in 5 s with its name.
describe('server lifecycle', { timeout: 5000 }, () => {
  it.each(['isolated', 'shared'] as const)(
    '%s: a command missing from PATH ends as crashed with the reason; stop() still works',
    async (mode) => {
      const unhandled: unknown[] = [];
      const onUnhandled = (e: unknown) => unhandled.push(e);
      process.on('unhandledRejection', onUnhandled);
      try {
        const r = runtime({
          command: 'patchbay-no-such-command-xyz',
          args: [],
          mode,
          restart: { initialDelayMs: 100, maxDelayMs: 400 },
        });
        const state = await r.start();
        expect(state.status).toBe('crashed');
        expect(state.reason).toContain('"patchbay-no-such-command-xyz" was not found on PATH');
        expect(state.exit).toBeUndefined();
        const { error } = await openFailure(r);
        expect(error).toBeInstanceOf(PatchbayError);
        expect((error as PatchbayError).code).toBe(ErrorCode.NotRunning);
        expect((error as PatchbayError).message).toContain('not found on PATH');

        await r.stop();
        expect(r.state.status).toBe('stopped');
        // The pending restart was cancelled: nothing starts again behind our back.
        const after = recordStates(r);
        await sleep(250);
        expect(after).toEqual([]);
        expect(r.state.status).toBe('stopped');
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    },
  );

  it('crashes on start with the exit code and stderr line, then restarts with growing backoff', async () => {
    const r = runtime(fixtureConfig('isolated', { flags: ['--exit-on-start=7'] }));
    const states = recordStates(r);
    // Opened just after the first crash is reported (on a later tick, as an HTTP request would
    // be, not inside the state event), while the restart is still pending.
    let whileCrashed: Promise<{ error: unknown; ms: number; status: string }> | undefined;
    r.on('state', (s) => {
      if (s.status !== 'crashed' || whileCrashed !== undefined) return;
      whileCrashed = new Promise((resolve) =>
        setImmediate(() => {
          const status = r.state.status;
          resolve(openFailure(r).then((failure) => ({ ...failure, status })));
        }),
      );
    });
    await r.start();
    const crashes = () => states.filter((s) => s.status === 'crashed');
    await until(() => crashes().length >= 4, 4000, 'four crashes');

    const first = crashes()[0]!;
    expect(first.exit).toMatchObject({ code: 7, signal: null, requested: false });
    expect(first.reason).toBe('MCP server exited with code 7: fixture: exiting on start');
    expect(first.restartAt).toBeGreaterThan(first.seenAt);

    const { error, ms, status } = await whileCrashed!;
    expect(status).toBe('crashed');
    expect(error).toBeInstanceOf(PatchbayError);
    expect((error as PatchbayError).code).toBe(ErrorCode.NotRunning);
    expect((error as PatchbayError).message).toContain('exited with code 7');
    expect(ms).toBeLessThan(50); // at once, not after the restart

    // Backoff 100, 200, 400, then capped at 400, as the runtime reports it.
    const expected = [100, 200, 400, 400];
    crashes()
      .slice(0, 4)
      .forEach((crash, i) => {
        expect(crash.attempt).toBe(i + 1);
        const delay = crash.restartAt! - crash.since;
        expect(delay).toBeGreaterThan(expected[i]! - 20);
        expect(delay).toBeLessThanOrEqual(expected[i]!);
      });
    // Between crashes the server starts again (not before the restart was due) and runs.
    for (let i = 0; i < 3; i++) {
      const crash = crashes()[i]!;
      const at = states.indexOf(crash);
      const next = states.slice(at + 1, states.indexOf(crashes()[i + 1]!));
      expect(next.map((s) => s.status)).toEqual(['starting', 'running']);
      expect(next[0]!.since).toBeGreaterThanOrEqual(crash.restartAt! - 5);
    }
  });

  // Guards StdioProcess waiting for stderr's end, not only stdout's, before reporting an exit:
  // without it, when exits, output and EOFs arrive together the last line is often missed.
  it('names the last stderr line in the crash reason even when many processes exit at once', async () => {
    const expected = 'MCP server exited with code 7: fixture: exiting on start';
    // A few rounds: how the OS orders the events of one turn varies from round to round.
    for (let round = 0; round < 4; round++) {
      const log = new StderrLog();
      const procs = await Promise.all(
        Array.from({ length: 10 }, () =>
          StdioProcess.spawn(
            { command: process.execPath, args: [FIXTURE, '--exit-on-start=7'] },
            { stderrLog: log },
          ),
        ),
      );
      // Keep our event loop busy while they exit, as a loaded machine would: their stderr
      // lines, EOFs and exits then all wait for the same turn of the loop.
      const busyUntil = Date.now() + 250;
      while (Date.now() < busyUntil) {
        // busy
      }
      const exits = await Promise.all(procs.map((p) => p.whenExited()));
      expect(
        exits.map((e) => describeExit(e)),
        `round ${round}`,
      ).toEqual(Array<string>(10).fill(expected));
    }
  });

  it('with restarts off, crashes once and never spawns again', async () => {
    const r = runtime(
      fixtureConfig('isolated', {
        flags: ['--exit-on-start=7'],
        restart: { enabled: false, initialDelayMs: 50, maxDelayMs: 50 },
      }),
    );
    const states = recordStates(r);
    await r.start();
    await until(() => r.state.status === 'crashed', 3000, 'crashed');
    const crash = r.state;
    expect(crash.exit?.code).toBe(7);
    expect(crash.restartAt).toBeUndefined();
    await sleep(400); // 8× the delay a restart would have used
    expect(states.map((s) => s.status)).toEqual(['starting', 'running', 'crashed']);
    expect(r.state).toBe(crash);
    // One main process and one protocol probe ever wrote to stderr.
    const pids = new Set(
      r.stderr
        .since()
        .filter((e) => e.by === undefined)
        .map((e) => e.pid),
    );
    expect(pids.size).toBeLessThanOrEqual(2);
    const { error } = await openFailure(r);
    expect((error as PatchbayError).code).toBe(ErrorCode.NotRunning);
    expect((error as PatchbayError).message).not.toContain('Restarting');
  });

  // Guards ProcessSlot.start relaunching a crashed slot: the slot stays "active" after a crash,
  // and start() used to wait forever in "starting".
  it('with restarts off, start() after the crash starts the server again', async () => {
    const r = runtime(
      fixtureConfig('isolated', { flags: ['--crash-after-ms=600'], restart: { enabled: false } }),
    );
    await r.start();
    await until(() => r.state.status === 'crashed', 3000, 'crashed');
    const again = await Promise.race([
      r.start(),
      sleep(1500).then(() => ({ ...r.state, status: `still ${r.state.status} after 1.5 s` })),
    ]);
    expect(again.status).toBe('running');
    const a = await EngineTestClient.connect(r, 'a');
    expect(await a.call('echo', { text: 'restarted' })).toBe('restarted');
  });

  it('shared: a killed process fails all pending requests of every session, then restarts; sessions go on', async () => {
    const r = runtime(fixtureConfig('shared'));
    await r.start();
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    const pid = a.session.pid!;
    expect(b.session.pid).toBe(pid);
    const hang = (c: EngineTestClient) => c.request('tools/call', { name: 'hang', arguments: {} });
    const pending = [a, b, a, b, a, b, a, b, a, b].map(hang);
    await until(() => a.session.pendingCount === 5 && b.session.pendingCount === 5, 2000, '10 pending');

    const states = recordStates(r);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    const answers = await Promise.all(pending);
    expect(Date.now() - killedAt).toBeLessThan(1000);
    expect(answers).toHaveLength(10);
    for (const res of answers) expect(res.error?.message).toContain('killed by SIGKILL');
    // The sessions outlive the process (PROTOCOL.md "Sessions outlive processes").
    expect(a.ended ?? b.ended).toBeUndefined();

    await until(() => r.state.status === 'running', 3000, 'running again');
    const crashed = states.find((s) => s.status === 'crashed')!;
    expect(crashed.exit).toMatchObject({ pid, signal: 'SIGKILL', requested: false });
    expect(crashed.restartAt! - crashed.since).toBeGreaterThan(80);
    expect(crashed.restartAt! - crashed.since).toBeLessThanOrEqual(100);
    expect(states.map((s) => s.status)).toEqual(['crashed', 'starting', 'running']);

    // Patchbay re-initialized the new process with the first client's initialize; a new
    // session is answered from that, and the old ones go on.
    const c = await EngineTestClient.connect(r, 'c');
    expect(c.session.pid).not.toBe(pid);
    expect(JSON.parse(await c.call('client_info'))).toMatchObject({
      initializeCount: 1,
      lastInitialize: { clientInfo: { name: 'a' } },
    });
    expect(await c.call('echo', { text: 'back' })).toBe('back');
    expect(await b.call('echo', { text: 'b back' })).toBe('b back');
  });

  it("shared: kill -9 shows in Logs as Patchbay's lines (spawn, exit by signal, restart with its delay, ready) and in the inspector", async () => {
    const r = runtime(fixtureConfig('shared'));
    await r.start();
    const a = await EngineTestClient.connect(r, 'a');
    const pid = a.session.pid!;
    process.kill(pid, 'SIGKILL');
    const readyAgain = () =>
      r.stderr.since().some((e) => /^Ready: pid \d+ is up$/.test(e.text) && !e.text.includes(` ${pid} `));
    await until(readyAgain, 3000, 'a new process ready');
    const own = r.stderr
      .since()
      .filter((e) => e.by === 'patchbay')
      .map((e) => e.text);
    expect(own).toContain(`Spawned pid ${pid} (shared process)`);
    expect(own).toContain(`Ready: pid ${pid} is up`);
    expect(own.some((t) => /start-up probe/i.test(t))).toBe(true);
    const exit = own.findIndex((t) => t.startsWith(`pid ${pid}: MCP server was killed by SIGKILL`));
    expect(exit).toBeGreaterThanOrEqual(0);
    expect(own[exit + 1]).toMatch(/^Restarting in \d+(\.\d)? m?s \(crash 1 in a row\)$/);
    const next = own.slice(exit).find((t) => /^Spawned pid \d+ \(shared process\)$/.test(t));
    expect(next).toBeDefined();
    // The same events are notes across the inspector's list.
    const notes = r.frames
      .since()
      .filter((f) => f.kind === 'note')
      .map((f) => f.raw);
    expect(notes).toEqual(expect.arrayContaining([own[exit], own[exit + 1], next]));
    // The session survived, with one revival.
    expect(r.listSessions().map((s) => s.id)).toContain(a.session.id);
    expect(await a.call('echo', { text: 'still here' })).toBe('still here');
  });

  it('a server that cannot stay up reads crashing through its restarts, never plain running', async () => {
    const r = runtime(
      fixtureConfig('shared', {
        flags: ['--crash-after-ms=30'],
        restart: { initialDelayMs: 20, maxDelayMs: 40 },
      }),
    );
    const states = recordStates(r);
    await r.start();
    await until(() => states.filter((s) => s.status === 'crashed').length >= 4, 4000, 'four crashes');
    const second = states.findIndex(
      (s, i) => s.status === 'crashed' && states.slice(0, i).some((x) => x.status === 'crashed'),
    );
    const after = states.slice(second);
    expect(after.length).toBeGreaterThan(3);
    // From the second crash on, every state (crashed, starting, running) carries the flag.
    expect(after.filter((s) => !s.unstable)).toEqual([]);
    expect(after.some((s) => s.status === 'running')).toBe(true);
  });

  it('shared: a server that crashes by itself is restarted after the backoff', async () => {
    const r = runtime(fixtureConfig('shared', { flags: ['--crash-after-ms=300'] }));
    const states = recordStates(r);
    expect((await r.start()).status).toBe('running');
    await until(() => states.filter((s) => s.status === 'running').length >= 2, 3000, 'running again');
    const up = states.findIndex((s) => s.status === 'running');
    const crash = states[up + 1]!;
    expect(crash.status).toBe('crashed');
    expect(crash.exit).toMatchObject({ code: 1, signal: null, requested: false });
    expect(crash.reason).toBe('MCP server exited with code 1: fixture: crashing after 300 ms');
    expect(crash.since - states[up]!.since).toBeGreaterThanOrEqual(250);
    expect(crash.restartAt! - crash.since).toBeGreaterThan(80);
    expect(states.slice(up + 2, up + 4).map((s) => s.status)).toEqual(['starting', 'running']);
    expect(states[up + 2]!.since).toBeGreaterThanOrEqual(crash.restartAt! - 5);
  });

  it('isolated: a server slow to read its stdin still gets its first session initialized', async () => {
    const r = runtime(fixtureConfig('isolated', { flags: ['--delay-start-ms=500'] }));
    const t0 = Date.now();
    expect((await r.start()).status).toBe('running');
    const a = await EngineTestClient.connect(r, 'a');
    // The answer waited for the server to start reading (the spare was spawned at start()).
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    expect(a.session.client.protocolVersion).toBe('2025-06-18');
    expect(await a.call('echo', { text: 'late but fine' })).toBe('late but fine');
    expect(r.state.status).toBe('running');
  });

  it('stop() ends a server that ignores stdin close and SIGTERM (SIGKILL escalation)', async () => {
    const r = runtime(
      fixtureConfig('isolated', {
        flags: ['--ignore-sigterm', '--stay-after-stdin-close'],
        limits: { stdinCloseGraceMs: 100, sigtermGraceMs: 200 },
      }),
    );
    await r.start();
    const a = await EngineTestClient.connect(r, 'a');
    const pids = [...new Set([a.session.pid!, ...liveChildren()])];
    expect(pids.length).toBeGreaterThanOrEqual(2); // the session's process and the spare
    const t0 = Date.now();
    await r.stop();
    const took = Date.now() - t0;
    expect(await waitGone(pids, 1000)).toEqual([]);
    expect(took).toBeGreaterThanOrEqual(290); // 100 ms after stdin close + 200 ms after SIGTERM
    expect(took).toBeLessThan(2000);
    expect(r.stderr.since().some((e) => e.text === 'fixture: ignoring SIGTERM')).toBe(true);
    expect(a.ended?.reason).toBe('server-stopped');
    expect(r.state.status).toBe('stopped');
  });

  it('keeps stderr lines in order, each with its process id and time', async () => {
    const r = runtime();
    await r.start();
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    const lines = (prefix: string) => r.stderr.since().filter((e) => e.text.startsWith(prefix));

    const before = Date.now();
    expect(await a.call('stderr', { lines: 5, text: 'alpha' })).toBe('wrote 5 stderr lines');
    await until(() => lines('alpha ').length === 5, 2000, 'alpha lines');
    expect(await b.call('stderr', { lines: 3, text: 'beta' })).toBe('wrote 3 stderr lines');
    await until(() => lines('beta ').length === 3, 2000, 'beta lines');
    const after = Date.now();

    const all = [...lines('alpha '), ...lines('beta ')];
    expect(all.map((e) => e.text)).toEqual([
      'alpha 1',
      'alpha 2',
      'alpha 3',
      'alpha 4',
      'alpha 5',
      'beta 1',
      'beta 2',
      'beta 3',
    ]);
    expect(all.map((e) => e.pid)).toEqual([
      ...Array<number>(5).fill(a.session.pid!),
      ...Array<number>(3).fill(b.session.pid!),
    ]);
    for (let i = 1; i < all.length; i++) {
      expect(all[i]!.seq).toBeGreaterThan(all[i - 1]!.seq);
      expect(all[i]!.ts).toBeGreaterThanOrEqual(all[i - 1]!.ts);
    }
    expect(all[0]!.ts).toBeGreaterThanOrEqual(before);
    expect(all[all.length - 1]!.ts).toBeLessThanOrEqual(after);
  });

  it('reports process-crashed when an isolated session’s process is killed from outside; the session stays', async () => {
    const r = runtime();
    await r.start();
    const crashed: ProcessExit[] = [];
    r.on('process-crashed', (exit) => crashed.push(exit));
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');

    // A session closed by its client is not a crash.
    const pidB = b.session.pid!;
    await b.session.close();
    expect(await waitGone([pidB])).toEqual([]);

    const pid = a.session.pid!;
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    await until(() => crashed.length > 0, 2000, 'process-crashed');
    expect(crashed[0]).toMatchObject({ pid, code: null, signal: 'SIGKILL', requested: false });
    expect(crashed[0]!.at).toBeGreaterThanOrEqual(killedAt);
    // Issue 14: the session outlives its process (it used to end with process-exited): it
    // goes dormant, and the crash is noted in its frames.
    await until(() => a.session.pid === undefined, 2000, 'a dormant');
    expect(a.ended).toBeUndefined();
    await until(
      () =>
        r.frames.since().some((f) => f.sessionId === a.session.id && f.raw.includes(`Process ${pid} exited`)),
      2000,
      'the crash noted',
    );

    await sleep(150);
    expect(crashed).toHaveLength(1);
    // One session's process is not the server: it keeps running.
    expect(r.state.status).toBe('running');
  });
});
