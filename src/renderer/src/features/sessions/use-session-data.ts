import type { SessionInfo, ServerStatus } from '@shared/status';
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { api } from '../../api/api';
import { serversStore } from '../servers/servers-store';

/** How often the open Sessions tab refreshes its counts and its latency picture. */
export const REFRESH_MS = 2000;
/** Responses the latency histogram is drawn from (the newest ones). */
export const LATENCY_SAMPLE = 500;

interface Polled {
  status: ServerStatus;
  /** The store's status when this poll arrived: a newer event there wins over the poll. */
  storeStatus: ServerStatus | undefined;
}

export interface SessionData {
  status: ServerStatus | undefined;
  sessions: SessionInfo[];
  latencies: number[];
  now: number;
  error: string | undefined;
}

/**
 * A server's sessions kept fresh while the tab is open. Status events come on session open
 * and close and every 10 s; request counts move in between, so the tab also asks every 2 s.
 */
export function useSessionData(serverId: string): SessionData {
  const storeStatus = useStore(serversStore, (s) => s.statuses[serverId]);
  const [polled, setPolled] = useState<Polled>();
  const [latencies, setLatencies] = useState<number[]>([]);
  const [now, setNow] = useState(() => Date.now());
  const [error, setError] = useState<string>();

  useEffect(() => {
    let closed = false;
    let inFlight = false;
    const refresh = async () => {
      // One poll at a time, and none while the window is hidden (e.g. in the tray) — else
      // calls pile up behind a slow or lost connection.
      if (inFlight || document.hidden) return;
      inFlight = true;
      try {
        await poll();
      } finally {
        inFlight = false;
      }
    };
    const poll = async () => {
      const [status, frames] = await Promise.all([
        api.call('servers.status', { id: serverId }),
        api.call('frames.query', {
          id: serverId,
          query: { leg: 'proxy→client', kind: 'response', limit: LATENCY_SAMPLE },
        }),
      ]);
      if (closed) return;
      setNow(Date.now());
      if (status.ok)
        setPolled({ status: status.value, storeStatus: serversStore.getState().statuses[serverId] });
      if (frames.ok)
        // The clients' latencies only: answers to Patchbay's own requests are not theirs.
        setLatencies(
          frames.value.flatMap((f) => (f.latencyMs === undefined || f.by !== undefined ? [] : [f.latencyMs])),
        );
      const failed = !status.ok ? status.error : !frames.ok ? frames.error : undefined;
      setError(failed ? `Could not refresh: ${failed.message}` : undefined);
    };
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      closed = true;
      clearInterval(timer);
    };
  }, [serverId]);

  const status = polled && polled.storeStatus === storeStatus ? polled.status : storeStatus;
  const sessions = status?.sessions ?? [];
  return { status, sessions, latencies, now, error };
}
