import { useStore } from 'zustand';
import { selectServer, serversStore } from './servers-store';

/** The sidebar: each server with its state dot. */
export function ServerList() {
  const servers = useStore(serversStore, (s) => s.servers);
  const statuses = useStore(serversStore, (s) => s.statuses);
  const selected = useStore(serversStore, (s) => s.selectedId);
  return (
    <nav className="server-list" aria-label="Servers">
      {servers.map((s) => {
        const state = statuses[s.id]?.state.status ?? 'stopped';
        return (
          <button
            key={s.id}
            className={`server-item${s.id === selected ? ' selected' : ''}`}
            onClick={() => selectServer(s.id)}
          >
            <span className={`dot dot-${state}`} aria-label={state} />
            {s.name}
          </button>
        );
      })}
    </nav>
  );
}
