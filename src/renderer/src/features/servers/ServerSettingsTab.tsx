import { ErrorCode } from '@shared/error-codes';
import type { ClientStatus } from '@shared/connect';
import { useState } from 'react';
import { useStore } from 'zustand';
import { api } from '../../api/api';
import { Dialog } from '../../ui/Dialog';
import { toast } from '../../ui/toast';
import { type FocusRequest, ServerForm } from './ServerForm';
import { formFromView } from './server-form-model';
import { deleteServer, duplicateServer, serversStore, updateServer } from './servers-store';
import { clientsToUpdate, urlChangeText } from './url-change';

/** The Settings tab: this server's settings in the same form as Add, plus duplicate and delete. */
export function ServerSettingsTab({
  serverId,
  focus,
}: {
  serverId: string;
  focus?: FocusRequest | undefined;
}) {
  const server = useStore(serversStore, (s) => s.servers.find((x) => x.id === serverId));
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  /** A save that would restart the server under connected clients, waiting for the user's yes. */
  const [pendingRestart, setPendingRestart] = useState<{ question: string; save: () => Promise<void> }>();
  /** After a save that changed the URL: the client configs still on the old one. */
  const [urlChange, setUrlChange] = useState<{ stale: ClientStatus[] }>();
  if (!server) return null;

  /** A new port is a new URL: find the client configs that still have the old one (the Connect tab's check). */
  const checkClients = async (oldPort: number, newPort: number | undefined) => {
    if (newPort === undefined || newPort === oldPort) return;
    const r = await api.call('connect.status', { id: serverId });
    if (!r.ok)
      return toast(`The URL changed; could not check the client configs: ${r.error.message}`, 'error');
    setUrlChange({ stale: clientsToUpdate(r.value) });
  };

  const updateClients = async (stale: ClientStatus[]) => {
    setBusy(true);
    const failed: string[] = [];
    for (const c of stale) {
      const r = await api.call('connect.add', { id: serverId, client: c.client });
      if (!r.ok) failed.push(`${c.label}: ${r.error.message}`);
    }
    setBusy(false);
    setUrlChange(undefined);
    const done = stale.length - failed.length;
    toast(
      failed.length === 0
        ? `Updated ${done} client config${done === 1 ? '' : 's'} to the new URL`
        : `Updated ${done}; could not update ${failed.join('; ')}`,
      failed.length === 0 ? 'info' : 'error',
    );
  };

  const duplicate = async () => {
    setBusy(true);
    const r = await duplicateServer(serverId);
    setBusy(false);
    toast(
      r.ok ? `Added ${r.value.name}` : `Could not duplicate: ${r.error.message}`,
      r.ok ? 'info' : 'error',
    );
  };

  const remove = async () => {
    setBusy(true);
    const r = await deleteServer(serverId);
    setBusy(false);
    setConfirming(false);
    toast(r.ok ? `Deleted ${server.name}` : `Could not delete: ${r.error.message}`, r.ok ? 'info' : 'error');
  };

  return (
    <div className="settings-tab">
      {urlChange && (
        <UrlChangeNotice
          stale={urlChange.stale}
          busy={busy}
          onUpdate={() => void updateClients(urlChange.stale)}
          onDismiss={() => setUrlChange(undefined)}
        />
      )}
      <ServerForm
        // A save (here or elsewhere) brings new stored settings: start again from them.
        key={server.updatedAt}
        initial={formFromView(server)}
        isNew={false}
        submitLabel="Save changes"
        focusRequest={focus}
        onSubmit={async (input, removeToken) => {
          const r = await updateServer(serverId, input, removeToken);
          if (!r.ok && r.error.code === ErrorCode.RestartNeeded) {
            // Nothing was saved: ask, naming the sessions that would drop, then save with a restart.
            setPendingRestart({
              question: r.error.message,
              save: async () => {
                const again = await updateServer(serverId, input, removeToken, true);
                setPendingRestart(undefined);
                if (again.ok) void checkClients(server.port, input.port);
                toast(
                  again.ok ? 'Saved and restarted' : `Could not save: ${again.error.message}`,
                  again.ok ? 'info' : 'error',
                );
              },
            });
            return undefined;
          }
          if (!r.ok) return r.error;
          toast('Saved');
          void checkClients(server.port, input.port);
          return undefined;
        }}
      >
        <button type="button" disabled={busy} onClick={() => void duplicate()}>
          Duplicate
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => setConfirming(true)}>
          Delete…
        </button>
      </ServerForm>
      <Dialog
        title="Restart to apply?"
        open={pendingRestart !== undefined}
        onClose={() => setPendingRestart(undefined)}
      >
        <p>{pendingRestart?.question}</p>
        <div className="form-actions">
          <button className="primary" disabled={busy} onClick={() => void pendingRestart?.save()}>
            Save and restart
          </button>
          <button onClick={() => setPendingRestart(undefined)}>Keep editing</button>
        </div>
      </Dialog>
      <Dialog title={`Delete ${server.name}?`} open={confirming} onClose={() => setConfirming(false)}>
        <p>
          {server.name} stops and is removed; clients using{' '}
          <code>
            http://{server.host}:{server.port}/mcp
          </code>{' '}
          can no longer connect.
        </p>
        <div className="form-actions">
          <button className="danger" disabled={busy} onClick={() => void remove()}>
            Delete
          </button>
          <button onClick={() => setConfirming(false)}>Cancel</button>
        </div>
      </Dialog>
    </div>
  );
}

/** After a port change: offers to rewrite the client configs that still have the old URL. */
function UrlChangeNotice({
  stale,
  busy,
  onUpdate,
  onDismiss,
}: {
  stale: ClientStatus[];
  busy: boolean;
  onUpdate: () => void;
  onDismiss: () => void;
}) {
  const text = urlChangeText(stale.length);
  return (
    <div className="notice" role="status" data-testid="url-change">
      <p>
        {text.message}
        {stale.length > 0 && ` (${stale.map((c) => c.label).join(', ')})`}
      </p>
      <div className="notice-actions">
        {text.button && (
          <button className="primary" disabled={busy} onClick={onUpdate}>
            {text.button}
          </button>
        )}
        <button onClick={onDismiss}>{text.button ? 'Not now' : 'OK'}</button>
      </div>
    </div>
  );
}
