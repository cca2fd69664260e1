import { useState } from 'react';
import { useStore } from 'zustand';
import { Dialog } from '../../ui/Dialog';
import { toast } from '../../ui/toast';
import { type FocusRequest, ServerForm } from './ServerForm';
import { formFromView } from './server-form-model';
import { deleteServer, duplicateServer, serversStore, updateServer } from './servers-store';

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
  if (!server) return null;

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
      <ServerForm
        // A save (here or elsewhere) brings new stored settings: start again from them.
        key={server.updatedAt}
        initial={formFromView(server)}
        isNew={false}
        submitLabel="Save changes"
        focusRequest={focus}
        onSubmit={async (input, removeToken) => {
          const r = await updateServer(serverId, input, removeToken);
          if (!r.ok) return r.error;
          toast('Saved');
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
