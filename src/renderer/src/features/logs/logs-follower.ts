import type { StderrEntry } from '@shared/status';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Api } from '../../api/api';
import { appendLines, type HeldLines, unseenEntries } from './log-lines';

export interface LogsState extends HeldLines {
  serverId: string | undefined;
  /** The highest seq taken from the engine's current log; live batches at or below it are old. */
  lastSeq: number;
  /** Lines the engine dropped because this view fell behind. */
  skipped: number;
  /** Why the log cannot be followed now, said plainly (a stopped server is `notRunning`). */
  unavailable: string | undefined;
  notRunning: boolean;
}

export interface LogsFollower {
  store: StoreApi<LogsState>;
  /**
   * Follows a server's stderr: a snapshot, then live batches. `restart` asks for the whole log
   * and drops what is already shown: the server may have been restarted (its seq begins again)
   * since this view last looked. A reconnect asks only for what came after the last seq.
   */
  watch(serverId: string, restart: boolean): Promise<void>;
  unwatch(serverId: string): Promise<void>;
  /** Forgets the lines in the engine and in the view; returns the error, said plainly. */
  clear(serverId: string): Promise<string | undefined>;
}

const initial = (serverId: string | undefined): LogsState => ({
  serverId,
  lines: [],
  trimmed: 0,
  nextKey: 1,
  lastSeq: 0,
  skipped: 0,
  unavailable: undefined,
  notRunning: false,
});

/** The Logs tab's state and its stream, on an injected api (a fake one in tests). */
export function createLogsFollower(api: Pick<Api, 'call' | 'on' | 'onReconnect'>): LogsFollower {
  const store = createStore<LogsState>(() => initial(undefined));
  /** The server this window follows now; a reconnect resubscribes only for it. */
  let watching: string | undefined;
  /** The numbering `lastSeq` belongs to (from the last snapshot). */
  let run: string | undefined;

  const appendBatch = (serverId: string, entries: readonly StderrEntry[], skipped: number) => {
    const s = store.getState();
    if (s.serverId !== serverId) return;
    const fresh = entries.filter((e) => e.seq > s.lastSeq);
    if (fresh.length === 0 && skipped === 0) return;
    store.setState({
      ...appendLines(s, fresh),
      lastSeq: fresh.length ? fresh[fresh.length - 1]!.seq : s.lastSeq,
      skipped: s.skipped + skipped,
    });
  };

  const watch = async (serverId: string, restart: boolean) => {
    watching = serverId;
    if (store.getState().serverId !== serverId) {
      store.setState(initial(serverId));
      run = undefined;
    }
    const afterSeq = restart ? 0 : store.getState().lastSeq;
    const resume = !restart && run !== undefined ? { run } : {};
    const result = await api.call('logs.subscribe', { id: serverId, afterSeq, ...resume });
    const s = store.getState();
    if (s.serverId !== serverId) return;
    if (!result.ok) {
      const notRunning = result.error.code === 'not_running';
      store.setState({ notRunning, unavailable: notRunning ? undefined : result.error.message });
      return;
    }
    // Another run (Patchbay restarted while the page stayed open) numbers from 1 again.
    const renumbered = restart || (run !== undefined && result.value.run !== run);
    run = result.value.run;
    const items = renumbered ? unseenEntries(s.lines, result.value.items) : result.value.items;
    store.setState({
      ...appendLines(s, items),
      lastSeq: result.value.lastSeq,
      notRunning: false,
      unavailable: undefined,
    });
  };

  const unwatch = async (serverId: string) => {
    if (watching === serverId) watching = undefined;
    const result = await api.call('logs.unsubscribe', { id: serverId });
    // The view is gone, so there is nowhere to show this; it only means the engine forgot first.
    if (!result.ok) console.warn(`logs.unsubscribe ${serverId}: ${result.error.message}`);
  };

  const clear = async (serverId: string) => {
    const result = await api.call('logs.clear', { id: serverId });
    if (!result.ok) return result.error.message;
    if (store.getState().serverId === serverId) store.setState({ lines: [], trimmed: 0, skipped: 0 });
    return undefined;
  };

  api.on('logs.batch', (batch) => appendBatch(batch.serverId, batch.entries, batch.skipped));
  api.onReconnect(() => {
    if (watching) void watch(watching, false);
  });
  return { store, watch, unwatch, clear };
}
