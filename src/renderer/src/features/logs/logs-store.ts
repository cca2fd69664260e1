import { createStore } from 'zustand/vanilla';
import type { Api } from '../../api/api';
import { createLogsFollower, initialLogs, type LogsFollower, type LogsState } from './logs-follower';

/** The one Logs tab of this window follows one server at a time. */
export const logsStore = createStore<LogsState>(() => initialLogs(undefined));

let follower: LogsFollower | undefined;

/** Wires the Logs tab to the engine (once, in main.tsx). */
export function connectLogs(api: Pick<Api, 'call' | 'on' | 'onReconnect'>): void {
  follower = createLogsFollower(api, logsStore);
}

/** What the Logs tab calls; nothing happens before `connectLogs`. */
export const logs: Pick<LogsFollower, 'watch' | 'unwatch' | 'clear'> = {
  watch: async (serverId, restart) => follower?.watch(serverId, restart),
  unwatch: async (serverId) => follower?.unwatch(serverId),
  clear: async (serverId) => (follower ? follower.clear(serverId) : 'Not connected to Patchbay yet'),
};
