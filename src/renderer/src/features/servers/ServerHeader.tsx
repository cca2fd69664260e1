import { maskKey, withKey } from '@shared/connect';
import type { ApiError } from '@shared/contract';
import { ErrorCode } from '@shared/error-codes';
import type { ServerConfigView } from '@shared/server-config';
import type { ServerStatus } from '@shared/status';
import { useStore } from 'zustand';
import { api } from '../../api/api';
import { toast } from '../../ui/toast';
import { copyText } from './copy-text';
import { MODE_NOTES } from './mode-notes';
import { restartServer, serversStore, startServer, stopServer } from './servers-store';
import { primaryAction, restartCountdown, sessionsText, shownStatus } from './status-text';
import { useNow } from './use-now';
import './servers.css';

/** Where a next step leads: a tab, and the field to put the cursor in. */
export type OpenTab = (tab: 'logs' | 'connect' | 'settings', focusField?: string) => void;

/** The top of a server's page: name, state, the URL with Copy, and Start/Stop. */
export function ServerHeader({ server, openTab }: { server: ServerConfigView; openTab: OpenTab }) {
  const id = server.id;
  const status = useStore(serversStore, (s) => s.statuses[id]);
  const pending = useStore(serversStore, (s) => s.pending[id]);
  const actionError = useStore(serversStore, (s) => s.actionErrors[id]);
  const state = shownStatus(status);
  const url = status?.url ?? `http://${server.host}:${server.port}/mcp`;
  // The key never sits in the page: it is shown masked and fetched only to copy.
  const shown = server.hasToken ? maskKey(withKey(url, '')) : url;
  const primary = primaryAction(status, pending);
  const starting = primary.label === 'Starting…';

  const copy = async () => {
    // The capability URL (`?key=…`): it works pasted as-is into any client.
    const urls = await api.call('servers.connectUrls', { id });
    if (!urls.ok) return toast(`Could not copy: ${urls.error.message}`, 'error');
    const ok = await copyText(urls.value.url);
    toast(ok ? 'Copied' : 'Could not copy: select the URL and copy it by hand', ok ? 'info' : 'error');
  };

  return (
    <header className="server-header">
      <div className="server-title">
        <h2 id="server-name">{server.name}</h2>
        <span className={`dot dot-${state}`} aria-hidden />
        <span className="muted" data-testid="server-state">
          {state} · <span title={MODE_NOTES[server.mode]}>{server.mode}</span> ·{' '}
          {sessionsText(status?.sessions.length ?? 0)}
        </span>
      </div>
      <div className="url-row">
        <code data-testid="server-url" className="server-url" aria-label="Server URL">
          {shown}
        </code>
        <button onClick={() => void copy()}>Copy</button>
        <button onClick={() => openTab('connect')}>Connect…</button>
        <button
          className={primary.action === 'start' ? 'primary' : undefined}
          disabled={primary.action === undefined}
          onClick={() => void (primary.action === 'start' ? startServer(id) : stopServer(id))}
        >
          {primary.label}
        </button>
        {starting && pending !== 'stop' && (
          // A slow start (an `npx` download) can be given up on.
          <button onClick={() => void stopServer(id)}>Cancel</button>
        )}
      </div>
      <CrashNotice id={id} status={status} openTab={openTab} />
      <ErrorNotice error={actionError ?? status?.error} openTab={openTab} />
    </header>
  );
}

function CrashNotice({
  id,
  status,
  openTab,
}: {
  id: string;
  status: ServerStatus | undefined;
  openTab: OpenTab;
}) {
  const crashed = status?.state.status === 'crashed';
  const now = useNow(crashed && status.state.restartAt !== undefined);
  if (!crashed) return null;
  const { reason, restartAt, exit } = status.state;
  const countdown = restartCountdown(restartAt, now);
  const tail = exit?.stderrTail.slice(-5) ?? [];
  return (
    <div className="notice notice-danger" role="alert" data-testid="crash-notice">
      <p>
        <strong>Crashed:</strong> {reason ?? 'the server exited unexpectedly'}.{' '}
        {countdown
          ? `${countdown[0]!.toUpperCase()}${countdown.slice(1)}.`
          : 'Restarts are off: start it again once fixed.'}
      </p>
      {tail.length > 0 && (
        <pre className="stderr-tail" aria-label="Last lines on stderr">
          {tail.join('\n')}
        </pre>
      )}
      <div className="notice-actions">
        <button onClick={() => openTab('logs')}>Open logs</button>
        <button onClick={() => openTab('settings', 'commandLine')}>Check the command</button>
        <button onClick={() => void restartServer(id)}>Restart now</button>
      </div>
    </div>
  );
}

/** A failed start/stop, with the step that fixes it where there is one. */
function ErrorNotice({ error, openTab }: { error: ApiError | undefined; openTab: OpenTab }) {
  if (!error) return null;
  return (
    <div className="notice notice-danger" role="alert" data-testid="server-error">
      <p>{error.message}</p>
      <div className="notice-actions">
        {error.code === ErrorCode.PortInUse && (
          <button onClick={() => openTab('settings', 'port')}>Pick another port</button>
        )}
        {error.code === ErrorCode.SpawnFailed && (
          <button onClick={() => openTab('settings', 'commandLine')}>Check the command</button>
        )}
      </div>
    </div>
  );
}
