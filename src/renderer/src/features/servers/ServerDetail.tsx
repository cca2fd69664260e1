import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { ConnectView } from '../connect/ConnectView';
import { InspectorView } from '../inspector/InspectorView';
import { LogsView } from '../logs/LogsView';
import { SessionsView } from '../sessions/SessionsView';
import { openInToolsStore } from '../tools/open-in-tools';
import { ToolsView } from '../tools/ToolsView';
import { Tabs } from '../../ui/Tabs';
import type { FocusRequest } from './ServerForm';
import { type OpenTab, ServerHeader } from './ServerHeader';
import { ServerSettingsTab } from './ServerSettingsTab';
import { serversStore } from './servers-store';

const TABS = [
  { key: 'inspector', label: 'Inspector' },
  { key: 'logs', label: 'Logs' },
  { key: 'sessions', label: 'Sessions' },
  { key: 'tools', label: 'Tools' },
  { key: 'connect', label: 'Connect' },
  { key: 'settings', label: 'Settings' },
] as const;
export type DetailTab = (typeof TABS)[number]['key'];

/** One server: its URL with Copy, Start/Stop, and its tabs. */
export function ServerDetail({ id }: { id: string }) {
  const server = useStore(serversStore, (s) => s.servers.find((x) => x.id === id));
  const status = useStore(serversStore, (s) => s.statuses[id]);
  const [tab, setTab] = useState<DetailTab>('inspector');
  const [focus, setFocus] = useState<FocusRequest>();
  // "Open in Tools" from the inspector switches to the Tools tab (which takes the call).
  const toolCall = useStore(openInToolsStore, (s) => s.request);
  useEffect(() => {
    if (toolCall?.serverId === id) setTab('tools');
  }, [toolCall, id]);
  if (!server) return null;
  const running = status?.url !== undefined;
  // A next step from the header ("Pick another port"): the tab, with the cursor in the field.
  const openTab: OpenTab = (next, field) => {
    setTab(next);
    if (field) setFocus((f) => ({ field, n: (f?.n ?? 0) + 1 }));
  };
  return (
    <section className="server-detail" aria-labelledby="server-name">
      <ServerHeader server={server} openTab={openTab} />
      <Tabs
        label="Server views"
        tabs={TABS}
        current={tab}
        onChange={(next) => {
          setTab(next);
          setFocus(undefined); // a tab chosen by hand puts the cursor nowhere in particular
        }}
      />
      <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'inspector' && <InspectorView serverId={id} running={running} />}
        {tab === 'logs' && <LogsView serverId={id} running={running} />}
        {tab === 'sessions' && <SessionsView serverId={id} />}
        {tab === 'tools' && <ToolsView serverId={id} running={running} />}
        {tab === 'connect' && <ConnectView serverId={id} />}
        {tab === 'settings' && <ServerSettingsTab serverId={id} focus={focus} />}
      </div>
    </section>
  );
}
