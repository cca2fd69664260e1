import { ErrorCode } from '@shared/error-codes';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Api } from '../../api/api';
import { createStreamFollower } from '../../api/live-follower';
import { appendLines, type HeldLines, unseenEntries } from './log-lines';

export interface LogsState extends HeldLines {
  serverId: string | undefined;
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

/** An empty view of `serverId` (or of none). */
export const initialLogs = (serverId: string | undefined): LogsState => ({
  serverId,
  lines: [],
  trimmed: 0,
  nextKey: 1,
  skipped: 0,
  unavailable: undefined,
  notRunning: false,
});

/** The Logs tab's state and its stream (the shared live follower), on an injected api (a fake one in tests). */
export function createLogsFollower(
  api: Pick<Api, 'call' | 'on' | 'onReconnect'>,
  store: StoreApi<LogsState> = createStore<LogsState>(() => initialLogs(undefined)),
): LogsFollower {
  const mine = (serverId: string) => store.getState().serverId === serverId;

  const follower = createStreamFollower(api, 'logs', {
    snapshot(serverId, items, { restarted, newRun }) {
      if (!mine(serverId)) return;
      const s = store.getState();
      // A restart numbers from 1 again: only pid and time tell the lines already shown.
      const fresh = restarted || newRun ? unseenEntries(s.lines, items) : items;
      store.setState({ ...appendLines(s, fresh), notRunning: false, unavailable: undefined });
    },
    live(serverId, entries, skipped) {
      if (!mine(serverId)) return;
      const s = store.getState();
      store.setState({ ...appendLines(s, entries), skipped: s.skipped + skipped });
    },
    failed(serverId, error) {
      if (!mine(serverId)) return;
      const notRunning = error.code === ErrorCode.NotRunning;
      store.setState({ notRunning, unavailable: notRunning ? undefined : error.message });
    },
  });

  const watch = async (serverId: string, restart: boolean) => {
    if (!mine(serverId)) store.setState(initialLogs(serverId));
    await follower.follow(serverId, { restart });
  };

  const unwatch = async (serverId: string) => {
    const error = await follower.release(serverId);
    // The view is gone, so there is nowhere to show this; it only means the engine forgot first.
    if (error) console.warn(`logs.unsubscribe ${serverId}: ${error.message}`);
  };

  const clear = async (serverId: string) => {
    const result = await api.call('logs.clear', { id: serverId });
    if (!result.ok) return result.error.message;
    if (mine(serverId)) store.setState({ lines: [], trimmed: 0, skipped: 0 });
    return undefined;
  };

  return { store, watch, unwatch, clear };
}
