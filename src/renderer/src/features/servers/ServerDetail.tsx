import { useState } from 'react';
import { useStore } from 'zustand';
import { copyText } from './copy-text';
import { FrameList } from '../inspector/FrameList';
import { serversStore, toggleServer } from './servers-store';

/** One server: its URL with Copy, Start/Stop, and its live frames. */
export function ServerDetail({ id }: { id: string }) {
  const server = useStore(serversStore, (s) => s.servers.find((x) => x.id === id));
  const status = useStore(serversStore, (s) => s.statuses[id]);
  const error = useStore(serversStore, (s) => s.error);
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
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
            void copyText(url).then((ok) => {
              setCopied(ok ? 'yes' : 'failed');
              setTimeout(() => setCopied(undefined), 1500);
            })
          }
        >
          {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy'}
        </button>
        <button onClick={() => void toggleServer(id)}>{running ? 'Stop' : 'Start'}</button>
      </div>
      {error && <p className="error">{error}</p>}
      <FrameList serverId={id} running={running} />
    </section>
  );
}
