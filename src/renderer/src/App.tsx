import { useEffect } from 'react';
import { useStore } from 'zustand';
import { AddServerButton } from './features/servers/AddServerButton';
import { EmptyServers } from './features/servers/EmptyServers';
import { JumpPalette } from './features/servers/JumpPalette';
import { ServerDetail } from './features/servers/ServerDetail';
import { ServerDialogs } from './features/servers/ServerDialogs';
import { ServerList } from './features/servers/ServerList';
import { loadServers, serversStore } from './features/servers/servers-store';
import { ConnectionBanner, useLinkHealth } from './features/connection/ConnectionBanner';
import { AppSettingsButton } from './features/settings/AppSettingsButton';
import { currentShell } from './shell';
import { Toaster } from './ui/Toaster';

export function App() {
  const servers = useStore(serversStore, (s) => s.servers);
  const selected = useStore(serversStore, (s) => s.selectedId);
  const loaded = useStore(serversStore, (s) => s.loaded);
  const loadError = useStore(serversStore, (s) => s.loadError);
  const health = useLinkHealth();
  const offline = health === 'lost' || health === 'refused';
  useEffect(() => {
    void loadServers();
  }, []);
  return (
    <div className={offline ? 'app offline' : 'app'}>
      <ConnectionBanner health={health} />
      <header className="app-header">
        <h1>Patchbay</h1>
        <span className="shell-tag" data-testid="shell-kind">
          {currentShell() === 'electron' ? 'desktop' : 'browser'}
        </span>
        <JumpPalette />
        <span className="spacer" />
        <fieldset className="header-actions" disabled={offline}>
          <AddServerButton />
          <AppSettingsButton />
        </fieldset>
      </header>
      {/* Nothing to act on while the engine is gone: actions would only fail or mislead. */}
      <main className="app-main" inert={offline}>
        {loadError && !loaded ? (
          <p className="error" role="alert">
            {loadError} — Patchbay retries when the connection comes back.{' '}
            <button onClick={() => void loadServers()}>Retry now</button>
          </p>
        ) : !loaded ? null : servers.length === 0 ? (
          <EmptyServers />
        ) : (
          <div className="layout">
            <ServerList />
            {selected && <ServerDetail key={selected} id={selected} />}
          </div>
        )}
      </main>
      <ServerDialogs />
      <Toaster />
    </div>
  );
}
