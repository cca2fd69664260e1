import type { ApiResult, Snapshot } from '@shared/contract';
import { ErrorCode } from '@shared/error-codes';
import type { StderrEntry } from '@shared/status';
import { describe, expect, it } from 'vitest';
import type { Api } from './api';
import {
  createLiveFollower,
  createStreamFollower,
  MAX_QUEUED_EVENTS,
  type StreamSink,
} from './live-follower';

const entry = (seq: number, pid = 1): StderrEntry => ({ seq, pid, ts: seq, text: `line ${seq}` });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => entry(from + i));

/**
 * A stand-in engine for one stream: a log per server under a run, answers held until the test
 * lets them go (so batches can land while a snapshot is on its way), events pushed by hand.
 */
function fakeEngine() {
  const logs = new Map<string, StderrEntry[]>();
  let run = 'r1';
  const calls: { name: string; args: { id: string; afterSeq?: number; run?: string } }[] = [];
  const held: (() => void)[] = [];
  let holding = false;
  const listeners = new Map<string, (payload: unknown) => void>();
  const reconnects: (() => void)[] = [];
  let refuse: ErrorCode | undefined;

  const answer = (
    name: string,
    args: { id: string; afterSeq?: number; run?: string },
  ): ApiResult<unknown> => {
    if (name.endsWith('.unsubscribe')) return { ok: true, value: null };
    if (refuse) return { ok: false, error: { code: refuse, message: 'refused' } };
    const all = logs.get(args.id) ?? [];
    const after = args.run === undefined || args.run === run ? (args.afterSeq ?? 0) : 0;
    const items = all.filter((e) => e.seq > after);
    const snapshot: Snapshot<StderrEntry> = { items, lastSeq: items.at(-1)?.seq ?? after, run };
    return { ok: true, value: snapshot };
  };
  const api = {
    call: (name: string, args: { id: string; afterSeq?: number; run?: string }) => {
      calls.push({ name, args });
      const result = answer(name, args);
      if (!holding) return Promise.resolve(result);
      return new Promise((resolve) => held.push(() => resolve(result)));
    },
    on: (name: string, listener: (payload: unknown) => void) => {
      listeners.set(name, listener);
      return () => listeners.delete(name);
    },
    onReconnect: (listener: () => void) => {
      reconnects.push(listener);
      return () => {};
    },
  } as unknown as Pick<Api, 'call' | 'on' | 'onReconnect'>;

  return {
    api,
    calls,
    write(id: string, ...entries: StderrEntry[]) {
      logs.set(id, [...(logs.get(id) ?? []), ...entries]);
      listeners.get('logs.batch')?.({ serverId: id, entries, skipped: 0 });
    },
    /** Patchbay restarted: every log numbers from 1 again under a new run. */
    newRun(id: string, entries: StderrEntry[]) {
      run = 'r2';
      logs.set(id, entries);
    },
    hold: () => (holding = true),
    releaseAll() {
      holding = false;
      for (const r of held.splice(0)) r();
    },
    reconnect: () => reconnects.forEach((l) => l()),
    refuse: (code: ErrorCode | undefined) => (refuse = code),
  };
}

/** A sink that records what the follower gave it, as a view would show it. */
function recorder() {
  const shown: number[] = [];
  const how: { restarted: boolean; newRun: boolean }[] = [];
  const errors: string[] = [];
  let skipped = 0;
  const sink: StreamSink<StderrEntry> = {
    snapshot(_id, items, h) {
      if (h.newRun || h.restarted) shown.length = 0;
      shown.push(...items.map((e) => e.seq));
      how.push(h);
    },
    live(_id, items, s) {
      shown.push(...items.map((e) => e.seq));
      skipped += s;
    },
    failed: (_id, error) => errors.push(error.code),
  };
  return { sink, shown, how, errors, skipped: () => skipped };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('createStreamFollower', () => {
  it('gives the snapshot, then live batches; batches that land during the snapshot come after it, once', async () => {
    const engine = fakeEngine();
    const view = recorder();
    const f = createStreamFollower(engine.api, 'logs', view.sink);
    engine.write('s1', ...range(1, 3));
    engine.hold();
    const following = f.follow('s1');
    // Lands before the snapshot's answer: 4 is in the snapshot too, 5 is not.
    engine.write('s1', entry(4));
    engine.releaseAll();
    engine.write('s1', entry(5));
    await following;
    engine.write('s1', entry(6));
    expect(view.shown).toEqual([1, 2, 3, 4, 5, 6]);
    expect(f.following()).toBe('s1');
  });

  it('resumes after a reconnect from the last seq of the same run, without duplicates', async () => {
    const engine = fakeEngine();
    const view = recorder();
    const f = createStreamFollower(engine.api, 'logs', view.sink);
    engine.write('s1', ...range(1, 2));
    await f.follow('s1');
    engine.write('s1', entry(3));
    engine.reconnect();
    await settle();
    expect(engine.calls.at(-1)).toEqual({
      name: 'logs.subscribe',
      args: { id: 's1', afterSeq: 3, run: 'r1' },
    });
    expect(view.shown).toEqual([1, 2, 3]);
  });

  it('says when the seqs began again (a new run), and follows the new numbering', async () => {
    const engine = fakeEngine();
    const view = recorder();
    const f = createStreamFollower(engine.api, 'logs', view.sink);
    engine.write('s1', ...range(1, 5));
    await f.follow('s1');
    engine.newRun('s1', range(1, 2));
    engine.reconnect();
    await settle();
    expect(view.how.at(-1)).toEqual({ restarted: false, newRun: true });
    expect(view.shown).toEqual([1, 2]);
    engine.write('s1', entry(3));
    expect(view.shown).toEqual([1, 2, 3]);
  });

  it('asks for the whole stream on restart, and for another server from the start', async () => {
    const engine = fakeEngine();
    const view = recorder();
    const f = createStreamFollower(engine.api, 'logs', view.sink);
    engine.write('s1', ...range(1, 3));
    await f.follow('s1');
    await f.follow('s1', { restart: true });
    expect(engine.calls.at(-1)?.args).toEqual({ id: 's1', afterSeq: 0 });
    expect(view.how.at(-1)).toEqual({ restarted: true, newRun: false });
    await f.follow('s2');
    expect(engine.calls.at(-1)?.args).toEqual({ id: 's2', afterSeq: 0 });
    engine.write('s1', entry(4)); // another server's batch: not shown
    expect(view.shown).toEqual([1, 2, 3]);
  });

  it('ignores the answer to a follow that a newer one overtook', async () => {
    const engine = fakeEngine();
    const view = recorder();
    const f = createStreamFollower(engine.api, 'logs', view.sink);
    engine.write('s1', ...range(1, 3));
    engine.write('s2', entry(7));
    engine.hold();
    const first = f.follow('s1');
    const second = f.follow('s2');
    engine.releaseAll();
    await Promise.all([first, second]);
    expect(view.shown).toEqual([7]);
  });

  it('takes another snapshot when more batches land during one than it holds, losing none', async () => {
    const engine = fakeEngine();
    const view = recorder();
    const f = createStreamFollower(engine.api, 'logs', view.sink);
    engine.hold();
    const following = f.follow('s1');
    const n = MAX_QUEUED_EVENTS + 5;
    for (let seq = 1; seq <= n; seq++) engine.write('s1', entry(seq));
    engine.releaseAll();
    await following;
    await settle();
    expect(view.shown).toEqual(range(1, n).map((e) => e.seq));
    expect(engine.calls.filter((c) => c.name === 'logs.subscribe').length).toBe(2);
  });

  it('reports a refused subscribe, and after release neither shows batches nor resubscribes', async () => {
    const engine = fakeEngine();
    const view = recorder();
    const f = createStreamFollower(engine.api, 'logs', view.sink);
    engine.refuse(ErrorCode.NotRunning);
    await f.follow('s1');
    expect(view.errors).toEqual([ErrorCode.NotRunning]);
    engine.refuse(undefined);
    await f.follow('s1');
    expect(await f.release('s1')).toBeUndefined();
    expect(engine.calls.at(-1)).toEqual({ name: 'logs.unsubscribe', args: { id: 's1' } });
    const before = engine.calls.length;
    engine.write('s1', entry(1));
    engine.reconnect();
    await settle();
    expect(view.shown).toEqual([]);
    expect(engine.calls.length).toBe(before);
    expect(f.following()).toBeUndefined();
  });
});

describe('createLiveFollower', () => {
  it('replays events from during a load over it, and reloads after a reconnect', async () => {
    let reconnect = () => {};
    const api = {
      onReconnect: (l: () => void) => ((reconnect = l), () => {}),
    } as unknown as Pick<Api, 'onReconnect'>;
    let state = 'empty';
    let push: (e: string) => void = () => {};
    let answer: (s: string) => void = () => {};
    let loads = 0;
    const live = createLiveFollower<string, string>(api, {
      snapshot: () => {
        loads++;
        return new Promise((r) => (answer = r));
      },
      events: (p) => (push = p),
      applySnapshot: (s) => (state = s),
      applyEvent: (e) => (state = e),
    });
    const loading = live.reload();
    push('event during the load');
    answer('snapshot');
    await loading;
    expect(state).toBe('event during the load');
    push('later event');
    expect(state).toBe('later event');
    reconnect();
    answer('snapshot after the reconnect');
    await settle();
    expect(loads).toBe(2);
    expect(state).toBe('snapshot after the reconnect');
  });
});
