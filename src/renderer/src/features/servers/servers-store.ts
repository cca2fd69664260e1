import type { ApiError, ApiResult } from '@shared/contract';
import type { ServerConfigView, ServerInput } from '@shared/server-config';
import type { ServerStatus } from '@shared/status';
import { createStore } from 'zustand/vanilla';
import { type Api, api } from '../../api/api';
import { createLiveFollower, type LiveFollower } from '../../api/live-follower';
import type { PendingAction } from './status-text';

export interface ServersState {
  /** False until the first list arrives (so the empty state does not flash). */
  loaded: boolean;
  servers: ServerConfigView[];
  statuses: Record<string, ServerStatus>;
  selectedId: string | undefined;
  /** A Start/Stop/Restart in flight, per server: the button waits for it (one click, one action). */
  pending: Record<string, PendingAction>;
  /** The last failed action per server, kept for the header until the next action. */
  actionErrors: Record<string, ApiError>;
  /** Loading the list failed (e.g. the engine is unreachable). */
  loadError: string | undefined;
}

export const serversStore = createStore<ServersState>(() => ({
  loaded: false,
  servers: [],
  statuses: {},
  selectedId: undefined,
  pending: {},
  actionErrors: {},
  loadError: undefined,
}));

const set = serversStore.setState;
const get = serversStore.getState;

/** Keeps the selection on a server that exists: the one at the same place, else the first. */
function withServers(servers: ServerConfigView[], s: ServersState): Partial<ServersState> {
  const ids = new Set(servers.map((x) => x.id));
  let selectedId = s.selectedId;
  if (selectedId === undefined || !ids.has(selectedId)) {
    const oldIndex = s.servers.findIndex((x) => x.id === selectedId);
    selectedId = (servers[Math.min(Math.max(oldIndex, 0), servers.length - 1)] ?? servers[0])?.id;
  }
  const statuses: Record<string, ServerStatus> = {};
  for (const [id, st] of Object.entries(s.statuses)) if (ids.has(id)) statuses[id] = st;
  return { servers, statuses, selectedId };
}

function applyStatus(status: ServerStatus): void {
  if (!get().servers.some((s) => s.id === status.id)) return; // a deleted server's last word
  set((s) => ({ statuses: { ...s.statuses, [status.id]: status } }));
}

type ServersSnapshot = [ApiResult<ServerConfigView[]>, ApiResult<ServerStatus[]>];
type ServersEvent = { servers: ServerConfigView[] } | { status: ServerStatus };

/** The list and every status, followed (once `followServers` wired it in main.tsx). */
let live: LiveFollower | undefined;

/**
 * Follows the server list and every status on the live follower: status events that arrive
 * while a snapshot is loading are replayed over it, so a snapshot older than an event never wins.
 */
export function followServers(engine: Pick<Api, 'call' | 'on' | 'onReconnect'>): void {
  live = createLiveFollower<ServersSnapshot, ServersEvent>(engine, {
    snapshot: () => Promise.all([engine.call('servers.list'), engine.call('servers.statuses')]),
    events(push) {
      engine.on('servers.changed', (servers) => push({ servers }));
      engine.on('server.status', (status) => push({ status }));
    },
    applySnapshot([list, statuses]) {
      if (!list.ok || !statuses.ok) {
        const error = !list.ok ? list.error : !statuses.ok ? statuses.error : undefined;
        set({ loadError: `Could not load the servers: ${error?.message ?? 'unknown error'}` });
        return;
      }
      const byId: Record<string, ServerStatus> = {};
      for (const st of statuses.value) byId[st.id] = st;
      set((s) => ({
        ...withServers(list.value, { ...s, statuses: byId }),
        loaded: true,
        loadError: undefined,
      }));
    },
    applyEvent(event) {
      if ('status' in event) applyStatus(event.status);
      else set((s) => ({ ...withServers(event.servers, s), loaded: true }));
    },
  });
}

/** Loads the list and every status again (first load, Retry); events keep them current after. */
export async function loadServers(): Promise<void> {
  await live?.reload();
}

export function selectServer(id: string): void {
  set({ selectedId: id });
}

/** ↑/↓ in the sidebar: the previous or next server, stopping at the ends. */
export function moveSelection(delta: number): string | undefined {
  const { servers, selectedId } = get();
  const i = servers.findIndex((s) => s.id === selectedId);
  const next = servers[Math.min(Math.max(i + delta, 0), servers.length - 1)];
  if (next) set({ selectedId: next.id });
  return next?.id;
}

function clearError(id: string): void {
  const { [id]: _gone, ...rest } = get().actionErrors;
  set({ actionErrors: rest });
}

// The latest action per server: an earlier one's late answer must not overwrite it.
const latestAction: Record<string, number> = {};
let nextAction = 1;

/** Runs one Start/Stop/Restart; a second click while it runs does nothing, except Stop giving up on a start. */
async function runAction(id: string, action: PendingAction): Promise<void> {
  const current = get().pending[id];
  if (current && !(action === 'stop' && current !== 'stop')) return;
  const token = nextAction++;
  latestAction[id] = token;
  clearError(id);
  set((s) => ({ pending: { ...s.pending, [id]: action } }));
  const name = action === 'start' ? 'servers.start' : action === 'stop' ? 'servers.stop' : 'servers.restart';
  const result = await api.call(name, { id });
  if (latestAction[id] !== token) return;
  delete latestAction[id];
  set((s) => {
    const { [id]: _done, ...pending } = s.pending;
    return result.ok
      ? { pending, statuses: { ...s.statuses, [id]: result.value } }
      : { pending, actionErrors: { ...s.actionErrors, [id]: result.error } };
  });
}

export const startServer = (id: string) => runAction(id, 'start');
export const stopServer = (id: string) => runAction(id, 'stop');
export const restartServer = (id: string) => runAction(id, 'restart');

/** Adds a server and selects it. */
export async function createServer(input: ServerInput): Promise<ApiResult<ServerConfigView>> {
  const result = await api.call('servers.create', input);
  if (result.ok) adopt(result.value);
  return result;
}

export async function updateServer(
  id: string,
  input: ServerInput,
  removeToken: boolean,
  restart = false,
): Promise<ApiResult<ServerConfigView>> {
  const result = await api.call('servers.update', {
    id,
    input,
    ...(removeToken ? { removeToken } : {}),
    ...(restart ? { restart } : {}),
  });
  if (result.ok) {
    clearError(id);
    adopt(result.value);
  }
  return result;
}

export async function duplicateServer(id: string): Promise<ApiResult<ServerConfigView>> {
  const result = await api.call('servers.duplicate', { id });
  if (result.ok) adopt(result.value);
  return result;
}

export async function deleteServer(id: string): Promise<ApiResult<null>> {
  const result = await api.call('servers.delete', { id });
  if (result.ok)
    set((s) =>
      withServers(
        s.servers.filter((x) => x.id !== id),
        s,
      ),
    );
  return result;
}

/** Puts a server the engine just returned into the list (the event may come later) and selects it. */
function adopt(view: ServerConfigView): void {
  set((s) => {
    const exists = s.servers.some((x) => x.id === view.id);
    const servers = exists ? s.servers.map((x) => (x.id === view.id ? view : x)) : [...s.servers, view];
    return { servers, selectedId: view.id, loaded: true };
  });
}

/** Servers added in one go (import, "Add all"): shown at once, the first selected. */
export function adoptMany(views: readonly ServerConfigView[]): void {
  for (const v of [...views].reverse()) adopt(v);
}
