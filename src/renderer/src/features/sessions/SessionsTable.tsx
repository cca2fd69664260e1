import type { SessionInfo } from '@shared/status';
import { useState } from 'react';
import { api } from '../../api/api';
import { toast } from '../../ui/toast';
import { timeAgo } from './relative-time';
import { revivalTitle } from './revivals';

export const clientName = (s: SessionInfo) => s.clientInfo?.name ?? 'unknown client';

/** The connected clients, one row each, with a button to end one. */
export function SessionsTable({
  serverId,
  sessions,
  now,
}: {
  serverId: string;
  sessions: SessionInfo[];
  now: number;
}) {
  const [ending, setEnding] = useState<string>();
  const end = async (s: SessionInfo) => {
    setEnding(s.id);
    const result = await api.call('sessions.end', { id: serverId, sessionId: s.id });
    setEnding(undefined);
    if (result.ok) toast(`Ended the session of ${clientName(s)}: its next request gets 404`);
    else toast(`Could not end the session of ${clientName(s)}: ${result.error.message}`, 'error');
  };
  return (
    <table className="sessions-table">
      <caption className="visually-hidden">Connected clients</caption>
      <thead>
        <tr>
          <th scope="col">Client</th>
          <th scope="col">Session</th>
          <th scope="col">Protocol</th>
          <th scope="col">Connected</th>
          <th scope="col" className="num">
            Requests
          </th>
          <th scope="col" className="num">
            Pending
          </th>
          <th
            scope="col"
            className="num"
            title="Times Patchbay gave the session a new process after its own was reclaimed or crashed"
          >
            Revived
          </th>
          <th scope="col">Last activity</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((s) => (
          <tr key={s.id} data-session={s.id}>
            <th scope="row" className="session-client">
              {clientName(s)}
              {s.clientInfo?.version && <span className="muted"> {s.clientInfo.version}</span>}
            </th>
            <td className="mono" title={s.id}>
              {s.id.slice(0, 8)}
            </td>
            <td className="mono">{s.protocolVersion ?? '–'}</td>
            <td title={new Date(s.since).toLocaleString()}>{timeAgo(s.since, now)}</td>
            <td className="num">{s.requests.toLocaleString()}</td>
            <td className={`num${s.pending > 0 ? ' pending' : ''}`}>{s.pending.toLocaleString()}</td>
            <td
              className={`num revivals${s.revivals > 0 ? ' revived' : ' muted'}`}
              title={revivalTitle(s.revivals)}
            >
              {s.revivals.toLocaleString()}
            </td>
            <td title={new Date(s.lastActivityAt).toLocaleString()}>{timeAgo(s.lastActivityAt, now)}</td>
            <td>
              <button
                className="danger"
                aria-label={`End session of ${clientName(s)}`}
                disabled={ending === s.id}
                onClick={() => void end(s)}
              >
                End session
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
