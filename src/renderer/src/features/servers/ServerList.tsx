import type { ServerConfigView } from '@shared/server-config';
import type { ServerStatus } from '@shared/status';
import type { KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import { Sparkline } from './Sparkline';
import { moveSelection, selectServer, serversStore } from './servers-store';
import { agoText, crashSummary, lastActivityAt, sessionsText, shownStatus } from './status-text';
import { useNow } from './use-now';
import './servers.css';

/** The sidebar: every server with its state, sessions and activity; ↑/↓ move the selection. */
export function ServerList() {
  const servers = useStore(serversStore, (s) => s.servers);
  const selected = useStore(serversStore, (s) => s.selectedId);

  const onKey = (e: KeyboardEvent) => {
    const delta =
      e.key === 'ArrowDown'
        ? 1
        : e.key === 'ArrowUp'
          ? -1
          : e.key === 'Home'
            ? -Infinity
            : e.key === 'End'
              ? Infinity
              : 0;
    if (e.key === ' ') e.preventDefault(); // the row is selected already; not the inspector's pause
    if (delta === 0) return;
    e.preventDefault();
    const id = moveSelection(Number.isFinite(delta) ? delta : delta > 0 ? servers.length : -servers.length);
    if (id) document.querySelector<HTMLElement>(`[data-server-id="${id}"]`)?.focus();
  };

  return (
    <nav className="server-list" aria-labelledby="servers-title">
      <h2 id="servers-title" className="sidebar-title">
        Servers
      </h2>
      <ul role="listbox" aria-labelledby="servers-title" className="server-rows" onKeyDown={onKey}>
        {servers.map((s) => (
          <ServerRow key={s.id} server={s} selected={s.id === selected} />
        ))}
      </ul>
    </nav>
  );
}

function ServerRow({ server, selected }: { server: ServerConfigView; selected: boolean }) {
  const status: ServerStatus | undefined = useStore(serversStore, (s) => s.statuses[server.id]);
  const state = shownStatus(status);
  const last = lastActivityAt(status);
  const now = useNow(last !== undefined || status?.state.restartAt !== undefined);
  const crash = crashSummary(status, now);
  const up = status?.url !== undefined;
  const sessions = status?.sessions.length ?? 0;
  return (
    <li
      role="option"
      aria-selected={selected}
      tabIndex={selected ? 0 : -1}
      data-server-id={server.id}
      className={`server-item state-${state}${selected ? ' selected' : ''}`}
      title={crash}
      onClick={() => selectServer(server.id)}
    >
      <span className="server-item-line">
        <span className={`dot dot-${state}`} aria-hidden />
        <span className="server-item-name">{server.name}</span>
        {state === 'crashed' || state === 'crashing' ? (
          <span className="crashed-tag">{state}</span>
        ) : (
          <span className="sr-only">{state}</span>
        )}
        {up && (
          <span className="session-count" title={sessionsText(sessions)}>
            <span aria-hidden>{sessions}</span>
            <span className="sr-only">{sessionsText(sessions)}</span>
          </span>
        )}
        {status?.activity && <Sparkline values={status.activity} />}
      </span>
      {last !== undefined && state !== 'crashed' && state !== 'crashing' && (
        <span className="server-item-meta">active {agoText(last, now)}</span>
      )}
      {crash !== undefined && <span className="server-item-meta crash-meta">{crash}</span>}
    </li>
  );
}
