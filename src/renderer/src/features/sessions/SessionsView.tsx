import { ActivityChart } from './ActivityChart';
import { LatencyHistogram } from './LatencyHistogram';
import { SessionsTable } from './SessionsTable';
import { useSessionData } from './use-session-data';
import './sessions.css';

/** The Sessions tab: the clients connected to one server, its request rate and latencies. */
export function SessionsView({ serverId }: { serverId: string }) {
  const { status, sessions, latencies, now, error } = useSessionData(serverId);
  const running = status?.url !== undefined;
  return (
    <div className="sessions">
      <div className="sessions-charts">
        <ActivityChart activity={status?.activity} />
        <LatencyHistogram latencies={latencies} />
      </div>
      {error && <p className="error">{error}</p>}
      {sessions.length > 0 ? (
        <SessionsTable serverId={serverId} sessions={sessions} now={now} />
      ) : (
        <p className="muted sessions-empty">
          {running
            ? 'No client connected. Copy the URL above into your AI client.'
            : 'No client connected. Start the server, then copy the URL above into your AI client.'}
        </p>
      )}
    </div>
  );
}
