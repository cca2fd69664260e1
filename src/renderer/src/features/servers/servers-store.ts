import type { ServerConfigView } from '@shared/server-config';
import type { ServerStatus } from '@shared/status';
import { createStore } from 'zustand/vanilla';
import { api } from '../../api/api';

export interface ServersState {
  servers: ServerConfigView[];
  statuses: Record<string, ServerStatus>;
  selectedId: string | undefined;
  /** The last failed action, said plainly. */
  error: string | undefined;
}

export const serversStore = createStore<ServersState>(() => ({
  servers: [],
  statuses: {},
  selectedId: undefined,
  error: undefined,
}));

/** Loads the list and every status, then keeps them current from events. */
export async function loadServers(): Promise<void> {
  const [list, statuses] = await Promise.all([api.call('servers.list'), api.call('servers.statuses')]);
  if (!list.ok || !statuses.ok) {
    serversStore.setState({
      error: (!list.ok ? list.error : !statuses.ok ? statuses.error : undefined)?.message,
    });
    return;
  }
  const byId: Record<string, ServerStatus> = {};
  for (const s of statuses.value) byId[s.id] = s;
  const selected = serversStore.getState().selectedId ?? list.value[0]?.id;
  serversStore.setState({ servers: list.value, statuses: byId, selectedId: selected, error: undefined });
}

api.on('servers.changed', (servers) => serversStore.setState({ servers }));
api.on('server.status', (status) =>
  serversStore.setState((s) => ({ statuses: { ...s.statuses, [status.id]: status } })),
);
api.onReconnect(() => void loadServers());

export function selectServer(id: string): void {
  serversStore.setState({ selectedId: id });
}

/** Starts or stops, whichever the server needs; the error (e.g. port taken) is kept for display. */
export async function toggleServer(id: string): Promise<void> {
  const running = serversStore.getState().statuses[id]?.url !== undefined;
  const result = await api.call(running ? 'servers.stop' : 'servers.start', { id });
  serversStore.setState((s) =>
    result.ok
      ? { statuses: { ...s.statuses, [id]: result.value }, error: undefined }
      : { error: result.error.message },
  );
}
