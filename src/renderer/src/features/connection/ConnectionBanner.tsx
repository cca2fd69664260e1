import { useSyncExternalStore } from 'react';
import { api } from '../../api/api';
import type { LinkHealth } from '../../api/transport';

/** The link to the engine, as a React value that follows it. */
export function useLinkHealth(): LinkHealth {
  return useSyncExternalStore(
    (listener) => api.onHealth(listener),
    () => api.health(),
  );
}

/**
 * Says at once when the engine is gone (it stopped, or restarted with a new launch token) and
 * what to do; the window's actions are disabled meanwhile (App adds `offline`).
 */
export function ConnectionBanner({ health }: { health: LinkHealth }) {
  if (health === 'connected' || health === 'connecting') return null;
  return (
    <div className="connection-banner" role="alert" data-testid="connection-banner">
      {health === 'lost' ? (
        <>
          <strong>Lost the connection to Patchbay.</strong> The engine stopped or restarted; what you see may
          be out of date. Reconnecting…
        </>
      ) : (
        <>
          <strong>Patchbay restarted.</strong> This page’s access token is no longer valid: open the URL that{' '}
          <code>patchbay serve</code> printed in its terminal (it ends in <code>#token=…</code>).
        </>
      )}
    </div>
  );
}
