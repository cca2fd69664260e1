import { useState } from 'react';
import { api } from '../../api/api';
import { toast } from '../../ui/toast';
import { serversStore } from '../servers/servers-store';

/** Start all / Stop all, saying which servers did not start and why. */
export function ServersSection() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  const startAll = async () => {
    setBusy(true);
    const result = await api.call('servers.startAll');
    setBusy(false);
    if (!result.ok) return setProblem(`Could not start the servers: ${result.error.message}`);
    const names = new Map(serversStore.getState().servers.map((s) => [s.id, s.name]));
    const failed = result.value.filter((s) => s.url === undefined);
    setProblem(
      failed.length
        ? `Not started: ${failed
            .map(
              (s) => `${names.get(s.id) ?? s.id} (${s.error?.message ?? s.state.reason ?? s.state.status})`,
            )
            .join('; ')}`
        : undefined,
    );
    const started = result.value.length - failed.length;
    toast(`Started ${started} of ${result.value.length} servers`, failed.length ? 'error' : 'info');
  };
  const stopAll = async () => {
    setBusy(true);
    const result = await api.call('servers.stopAll');
    setBusy(false);
    if (!result.ok) return setProblem(`Could not stop the servers: ${result.error.message}`);
    setProblem(undefined);
    toast('Stopped all servers');
  };

  return (
    <section className="settings-section" aria-labelledby="settings-servers">
      <h3 id="settings-servers">Servers</h3>
      <div className="settings-actions">
        <button disabled={busy} onClick={() => void startAll()}>
          Start all
        </button>
        <button disabled={busy} onClick={() => void stopAll()}>
          Stop all
        </button>
      </div>
      {problem && <p className="error">{problem}</p>}
    </section>
  );
}
