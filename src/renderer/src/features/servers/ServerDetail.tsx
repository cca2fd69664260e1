import { useState } from 'react';
import { useStore } from 'zustand';
import { ConnectView } from '../connect/ConnectView';
import { InspectorView } from '../inspector/InspectorView';
import { LogsView } from '../logs/LogsView';
import { SessionsView } from '../sessions/SessionsView';
import { Tabs } from '../../ui/Tabs';
import { toast } from '../../ui/toast';
import { copyText } from './copy-text';
import { ServerSettingsTab } from './ServerSettingsTab';
import { serversStore, toggleServer } from './servers-store';

const TABS = [
  { key: 'inspector', label: 'Inspector' },
  { key: 'logs', label: 'Logs' },
  { key: 'sessions', label: 'Sessions' },
  { key: 'connect', label: 'Connect' },
  { key: 'settings', label: 'Settings' },
] as const;
export type DetailTab = (typeof TABS)[number]['key'];

/** One server: its URL with Copy, Start/Stop, and the five tabs. */
export function ServerDetail({ id }: { id: string }) {
  const server = useStore(serversStore, (s) => s.servers.find((x) => x.id === id));
  const status = useStore(serversStore, (s) => s.statuses[id]);
  const error = useStore(serversStore, (s) => s.error);
  const [tab, setTab] = useState<DetailTab>('inspector');
  if (!server) return null;
  const running = status?.url !== undefined;
  const url = status?.url ?? `http://${server.host}:${server.port}/mcp`;
  return (
    <section className="server-detail" aria-labelledby="server-name">
      <header className="server-header">
        <h2 id="server-name">{server.name}</h2>
        <span className="muted" data-testid="server-state">
          {status?.state.status ?? 'stopped'} · {server.mode} · {status?.sessions.length ?? 0} sessions
        </span>
      </header>
      <div className="url-row">
        <code data-testid="server-url">{url}</code>
        <button
          onClick={() =>
            void copyText(url).then((ok) => toast(ok ? 'Copied' : 'Copy failed', ok ? 'info' : 'error'))
          }
        >
          Copy
        </button>
        <button onClick={() => void toggleServer(id)}>{running ? 'Stop' : 'Start'}</button>
      </div>
      {error && <p className="error">{error}</p>}
      <Tabs label="Server views" tabs={TABS} current={tab} onChange={setTab} />
      <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'inspector' && <InspectorView serverId={id} running={running} />}
        {tab === 'logs' && <LogsView serverId={id} running={running} />}
        {tab === 'sessions' && <SessionsView serverId={id} />}
        {tab === 'connect' && <ConnectView serverId={id} />}
        {tab === 'settings' && <ServerSettingsTab serverId={id} />}
      </div>
    </section>
  );
}
