import { useEffect } from 'react';
import { useStore } from 'zustand';
import { EmptyServers } from './features/servers/EmptyServers';
import { ServerDetail } from './features/servers/ServerDetail';
import { ServerList } from './features/servers/ServerList';
import { loadServers, serversStore } from './features/servers/servers-store';
import { currentShell } from './shell';

export function App() {
  const servers = useStore(serversStore, (s) => s.servers);
  const selected = useStore(serversStore, (s) => s.selectedId);
  useEffect(() => {
    void loadServers();
  }, []);
  return (
    <div className="app">
      <header className="app-header">
        <h1>Patchbay</h1>
        <span className="shell-tag" data-testid="shell-kind">
          {currentShell() === 'electron' ? 'desktop' : 'browser'}
        </span>
      </header>
      <main className="app-main">
        {servers.length === 0 ? (
          <EmptyServers />
        ) : (
          <div className="layout">
            <ServerList />
            {selected && <ServerDetail id={selected} />}
          </div>
        )}
      </main>
    </div>
  );
}
