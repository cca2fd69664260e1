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
  const calls: { name: string; args: unknown }[] = [];
  const listeners = new Map<string, (payload: never) => void>();
  let reconnect = () => {};
  const ok = <T>(value: T): ApiResult<T> => ({ ok: true, value });
  const api: Pick<Api, 'call' | 'on' | 'onReconnect'> = {
    call: ((name: string, args: { id: string; afterSeq?: number }) => {
      calls.push({ name, args });
      if (name === 'logs.subscribe') {
        if (!running)
          return Promise.resolve({ ok: false, error: { code: 'not_running', message: 'stopped' } });
        const items = log.filter((e) => e.seq > (args.afterSeq ?? 0));
        return Promise.resolve(ok({ items, lastSeq: items.at(-1)?.seq ?? args.afterSeq ?? 0 }));
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

  it('resubscribes after a reconnect from the last seq, without duplicates', async () => {
    const engine = fakeEngine();
    const f = createLogsFollower(engine.api);
    engine.write('a', 'b');
    await f.watch('s1', true);
    engine.write('c', 'd'); // written while the socket was down: no batch came
    engine.reconnect();
    await flush();
    expect(engine.calls.at(-1)).toEqual({ name: 'logs.subscribe', args: { id: 's1', afterSeq: 2 } });
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
