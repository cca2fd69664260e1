import type { ClientSnippet, ClientStatus, ConnectClientId } from '@shared/connect';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { api } from '../../api/api';
import { Tabs } from '../../ui/Tabs';
import { serversStore } from '../servers/servers-store';
import { STATE_BADGE } from './client-state';
import { ClientStatusPanel } from './ClientStatusPanel';
import { SnippetItemView } from './SnippetItemView';
import './connect.css';

/** The Connect tab: what to give each AI client to reach this server, and its config file. */
export function ConnectView({ serverId }: { serverId: string }) {
  const running = useStore(serversStore, (s) => s.statuses[serverId]?.url !== undefined);
  // Snippets follow the server's name, host, port and token: reload when its config changes.
  const updatedAt = useStore(serversStore, (s) => s.servers.find((x) => x.id === serverId)?.updatedAt);
  const [snippets, setSnippets] = useState<ClientSnippet[]>();
  const [statuses, setStatuses] = useState<ClientStatus[]>();
  const [snippetError, setSnippetError] = useState<string>();
  const [statusError, setStatusError] = useState<string>();
  const [selected, setSelected] = useState<ConnectClientId>();

  // Only the newest answer counts: a check started before a config change is out of date.
  const latest = useRef(0);
  const loadStatuses = useCallback(async () => {
    const mine = ++latest.current;
    const result = await api.call('connect.status', { id: serverId });
    if (mine !== latest.current) return;
    if (result.ok) setStatuses(result.value);
    setStatusError(
      result.ok ? undefined : `Could not read the clients’ config files: ${result.error.message}`,
    );
  }, [serverId]);

  useEffect(() => {
    let closed = false;
    void api.call('connect.snippets', { id: serverId }).then((result) => {
      if (closed) return;
      if (result.ok) setSnippets(result.value);
      setSnippetError(result.ok ? undefined : `Could not make the snippets: ${result.error.message}`);
    });
    void loadStatuses();
    return () => {
      closed = true;
    };
  }, [serverId, updatedAt, loadStatuses]);

  if (!snippets) return <p className={snippetError ? 'error' : 'muted'}>{snippetError ?? 'Loading…'}</p>;
  const current = snippets.find((s) => s.client === selected) ?? snippets[0];
  if (!current) return <p className="muted">No clients known.</p>;
  const statusOf = (id: ConnectClientId) => statuses?.find((s) => s.client === id);
  const status = statusOf(current.client);

  return (
    <div className="connect">
      {!running && (
        <p className="connect-stopped">The server is stopped: its URL below works once it is started.</p>
      )}
      {snippetError && <p className="error">{snippetError}</p>}
      {statusError && <p className="error">{statusError}</p>}
      <div className="connect-clients">
        <Tabs
          label="AI clients"
          tabs={snippets.map((s) => {
            const state = statusOf(s.client)?.state;
            return {
              key: s.client,
              label: (
                <>
                  {state && (
                    <span
                      className={`connect-dot connect-tone-${STATE_BADGE[state].tone}`}
                      title={STATE_BADGE[state].text}
                      aria-hidden
                    />
                  )}
                  {s.label}
                </>
              ),
            };
          })}
          current={current.client}
          onChange={setSelected}
        />
      </div>
      <div
        className="connect-panel"
        role="tabpanel"
        id={`panel-${current.client}`}
        aria-labelledby={`tab-${current.client}`}
      >
        <header className="connect-panel-head">
          <h3>{current.label}</h3>
          {current.name && current.client !== 'generic' && (
            <span className="muted">
              as <code>{current.name}</code>
            </span>
          )}
          <span className="spacer" />
          <a href={current.docUrl} target="_blank" rel="noreferrer">
            {current.client === 'generic' ? 'Streamable HTTP spec ↗' : `${current.label} docs ↗`}
          </a>
          {current.client !== 'generic' && <button onClick={() => void loadStatuses()}>Check again</button>}
        </header>
        {status && (
          <ClientStatusPanel
            key={status.client}
            serverId={serverId}
            status={status}
            onChanged={() => void loadStatuses()}
          />
        )}
        {current.items.map((item, i) => (
          <SnippetItemView key={i} serverId={serverId} client={current.client} index={i} item={item} />
        ))}
        {current.notes.length > 0 && (
          <ul className="connect-notes">
            {current.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
