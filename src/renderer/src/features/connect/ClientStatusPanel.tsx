import { ErrorCode } from '@shared/error-codes';
import type { ClientStatus } from '@shared/connect';
import { useState } from 'react';
import { api } from '../../api/api';
import { Dialog } from '../../ui/Dialog';
import { toast } from '../../ui/toast';
import { actionsFor, STATE_BADGE, writeButtonText, writeMessage } from './client-state';

/** Where the server stands in one client's config file, and the buttons that change it. */
export function ClientStatusPanel({
  serverId,
  status,
  onChanged,
}: {
  serverId: string;
  status: ClientStatus;
  onChanged: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [written, setWritten] = useState<string>();
  const [confirm, setConfirm] = useState<string>();
  const badge = STATE_BADGE[status.state];
  const actions = actionsFor(status.state);
  const { client, label } = status;

  const add = async (force: boolean) => {
    setConfirm(undefined);
    setBusy(true);
    const result = await api.call('connect.add', { id: serverId, client, force });
    setBusy(false);
    if (result.ok) {
      const message = writeMessage(result.value, label);
      setWritten(message);
      toast(message);
      onChanged();
    } else if (result.error.code === ErrorCode.AlreadyExists && !force) {
      setConfirm(result.error.message);
    } else {
      toast(`Could not write ${label}’s file: ${result.error.message}`, 'error');
    }
  };
  const remove = async () => {
    setBusy(true);
    const result = await api.call('connect.remove', { id: serverId, client });
    setBusy(false);
    if (result.ok) {
      const message = writeMessage(result.value, label);
      setWritten(message);
      toast(message);
      onChanged();
    } else {
      toast(`Could not remove the server from ${label}: ${result.error.message}`, 'error');
    }
  };
  const taken = status.entries.find((e) => e.kind === 'other');

  return (
    <section className="connect-client-status" aria-label={`${label} config file`}>
      <div className="connect-client-status-head">
        <span
          className={`connect-badge connect-tone-${badge.tone}`}
          data-testid="client-state"
          title={badge.hint}
        >
          {badge.text}
        </span>
        <code className="connect-client-path" title="The file Add writes to">
          {status.path}
        </code>
        <span className="spacer" />
        {actions.write && (
          <button
            className="primary"
            disabled={busy}
            onClick={() =>
              actions.write === 'replace'
                ? setConfirm(
                    `${label} already has a server named "${taken?.name ?? ''}" that is not this one` +
                      (taken?.problems.length ? ` (${taken.problems.join('; ')})` : '') +
                      '. Replace it?',
                  )
                : void add(false)
            }
          >
            {writeButtonText(actions.write, label)}
          </button>
        )}
        {actions.remove && (
          <button disabled={busy} onClick={() => void remove()}>
            Remove from {label}
          </button>
        )}
      </div>
      <p className="muted connect-client-hint">{badge.hint}</p>
      {status.entries.length > 0 && (
        <ul className="connect-client-entries">
          {status.entries.map((e, i) => (
            <li key={i}>
              <code>{e.name}</code> in <code>{e.path}</code>
              {e.project && <span className="muted"> (project {e.project})</span>}
              {e.legacy && <span className="muted"> (older location)</span>}
              {e.problems.length > 0 && (
                <span className="connect-client-problem">: {e.problems.join('; ')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {status.errors.map((e, i) => (
        <p key={i} className="error">
          {e.path}: {e.message}
        </p>
      ))}
      {written && (
        <p className="connect-client-written" data-testid="client-written">
          {written}
        </p>
      )}
      <Dialog
        title={`Replace the entry in ${label}?`}
        open={confirm !== undefined}
        onClose={() => setConfirm(undefined)}
      >
        <p>{confirm}</p>
        <p className="muted">The file is backed up before it is written.</p>
        <div className="connect-dialog-actions">
          <button onClick={() => setConfirm(undefined)}>Cancel</button>
          <button className="danger" onClick={() => void add(true)}>
            Replace
          </button>
        </div>
      </Dialog>
    </section>
  );
}
