import type { ApiResult } from '@shared/contract';
import type { StderrEntry } from '@shared/status';
import { describe, expect, it } from 'vitest';
import type { Api } from '../../api/api';
import { createLogsFollower } from './logs-follower';

/** A stand-in engine: one server's stderr log, restartable, with live batches sent by hand. */
function fakeEngine() {
  let log: StderrEntry[] = [];
  let nextSeq = 1;
  let pid = 100;
  let running = true;
  let run = 'run-1';
  const calls: { name: string; args: unknown }[] = [];
  const listeners = new Map<string, (payload: never) => void>();
  let reconnect = () => {};
  const ok = <T>(value: T): ApiResult<T> => ({ ok: true, value });
  const api: Pick<Api, 'call' | 'on' | 'onReconnect'> = {
    call: ((name: string, args: { id: string; afterSeq?: number; run?: string }) => {
      calls.push({ name, args });
      if (name === 'logs.subscribe') {
        if (!running)
          return Promise.resolve({ ok: false, error: { code: 'not_running', message: 'stopped' } });
        const after = args.run !== undefined && args.run !== run ? 0 : (args.afterSeq ?? 0);
        const items = log.filter((e) => e.seq > after);
        return Promise.resolve(ok({ items, lastSeq: items.at(-1)?.seq ?? after, run }));
      }
      if (name === 'logs.clear') log = [];
      return Promise.resolve(ok(null));
    }) as Api['call'],
    on: (name, fn) => {
      listeners.set(name, fn);
      return () => listeners.delete(name);
    },
    onReconnect: (fn) => {
      reconnect = fn;
      return () => {};
    },
  };
  const write = (...texts: string[]) =>
    texts.map((text) => {
      const e = { seq: nextSeq++, ts: 1000 + nextSeq, pid, text };
      log.push(e);
      return e;
    });
  return {
    api,
    calls,
    write,
    /** Sends a live batch as the engine would. */
    batch: (entries: StderrEntry[], skipped = 0) =>
      (listeners.get('logs.batch') as (p: unknown) => void)({ serverId: 's1', entries, skipped }),
    reconnect: () => reconnect(),
    /** Stop then start: a new process and a new log whose seq begins at 1 again. */
    restart: () => {
      log = [];
      nextSeq = 1;
      pid++;
    },
    setRunning: (r: boolean) => (running = r),
    /** Patchbay itself restarted: same server, a new log numbering from 1 under a new run. */
    newRun: () => {
      log = [];
      nextSeq = 1;
      run = `run-${Number(run.slice(4)) + 1}`;
      pid++; // the servers were started again too
    },
  };
}

const texts = (f: ReturnType<typeof createLogsFollower>) => f.store.getState().lines.map((l) => l.text);
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the logs follower', () => {
  it('shows the snapshot, then live batches, each line once', async () => {
    const engine = fakeEngine();
    const f = createLogsFollower(engine.api);
    engine.write('a', 'b');
    await f.watch('s1', true);
    expect(texts(f)).toEqual(['a', 'b']);
    // A batch can repeat what the snapshot held; only the new line is added.
    const [c] = engine.write('c');
    engine.batch([f.store.getState().lines[1]!, c!]);
    expect(texts(f)).toEqual(['a', 'b', 'c']);
    engine.batch([], 4);
    expect(f.store.getState().skipped).toBe(4);
  });

  it('after a reconnect to a restarted Patchbay (a new run), shows the new lines despite lower seqs', async () => {
    const engine = fakeEngine();
    const f = createLogsFollower(engine.api);
    engine.write('a', 'b', 'c');
    await f.watch('s1', true);
    engine.newRun();
    engine.write('fresh');
    engine.reconnect();
    await flush();
    expect(texts(f)).toEqual(['a', 'b', 'c', 'fresh']);
    expect(engine.calls.at(-1)?.args).toMatchObject({ afterSeq: 3, run: 'run-1' });
    // Live lines of the new run now pass the seq floor.
    const [next] = engine.write('next');
    engine.batch([next!]);
    expect(texts(f)).toEqual(['a', 'b', 'c', 'fresh', 'next']);
  });

  it('resubscribes after a reconnect from the last seq, without duplicates', async () => {
    const engine = fakeEngine();
    const f = createLogsFollower(engine.api);
    engine.write('a', 'b');
    await f.watch('s1', true);
    engine.write('c', 'd'); // written while the socket was down: no batch came
    engine.reconnect();
    await flush();
    expect(engine.calls.at(-1)).toEqual({
      name: 'logs.subscribe',
      args: { id: 's1', afterSeq: 2, run: 'run-1' },
    });
    expect(texts(f)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('does not resubscribe after the view is gone', async () => {
    const engine = fakeEngine();
    const f = createLogsFollower(engine.api);
    await f.watch('s1', true);
    await f.unwatch('s1');
    const before = engine.calls.length;
    engine.reconnect();
    await flush();
    expect(engine.calls.length).toBe(before);
  });

  it('keeps the old lines across a restart and adds the new log whose seq begins again', async () => {
    const engine = fakeEngine();
    const f = createLogsFollower(engine.api);
    engine.write('old 1', 'old 2', 'old 3');
    await f.watch('s1', true);
    engine.setRunning(false);
    await f.watch('s1', true);
    expect(f.store.getState().notRunning).toBe(true);
    expect(texts(f)).toEqual(['old 1', 'old 2', 'old 3']);
    engine.restart();
    engine.setRunning(true);
    engine.write('new 1');
    await f.watch('s1', true);
    const [n2] = engine.write('new 2');
    engine.batch([n2!]);
    expect(texts(f)).toEqual(['old 1', 'old 2', 'old 3', 'new 1', 'new 2']);
    expect(f.store.getState().notRunning).toBe(false);
    // Watching again (the tab reopened) adds nothing already shown.
    await f.watch('s1', true);
    expect(texts(f)).toHaveLength(5);
  });

  it('clears the engine and the view; new lines still come', async () => {
    const engine = fakeEngine();
    const f = createLogsFollower(engine.api);
    engine.write('a');
    await f.watch('s1', true);
    expect(await f.clear('s1')).toBeUndefined();
    expect(texts(f)).toEqual([]);
    engine.batch(engine.write('b'));
    expect(texts(f)).toEqual(['b']);
  });

  it('starts over for another server and ignores batches for others', async () => {
    const engine = fakeEngine();
    const f = createLogsFollower(engine.api);
    engine.write('a');
    await f.watch('s1', true);
    await f.watch('s2', true);
    expect(f.store.getState().serverId).toBe('s2');
    engine.batch(engine.write('for s1'));
    expect(texts(f)).toEqual(['a']); // the fake serves one log for every id
  });
});
