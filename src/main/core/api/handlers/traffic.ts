import type { ServerTraffic } from '../../manager/server-traffic';
import { subscription, unsubscribe } from '../live-subscription';
import type { SomeHandlers } from './types';

/** The traffic domain: frames and stderr logs, queried, followed live (snapshot, then batches), cleared. */
export function trafficHandlers(t: ServerTraffic) {
  return {
    'logs.subscribe': (a, conn) =>
      subscription(
        conn.logStreams,
        a.id,
        a,
        t.runs(a.id).logs,
        (after) => t.logs(a.id, after),
        (on) => t.subscribeLogs(a.id, (entry) => on([entry], 0)),
        (entries, skipped) => conn.push('logs.batch', { serverId: a.id, entries, skipped }),
        conn.hub.options,
      ),
    'logs.unsubscribe': (a, conn) => unsubscribe(conn.logStreams, a.id),
    'logs.clear': (a) => {
      t.clearLogs(a.id);
      return null;
    },
    'frames.query': (a) => t.frames(a.id, { ...a.query, ...(a.history ? { history: true } : {}) }),
    'frames.subscribe': (a, conn) =>
      subscription(
        conn.frameStreams,
        a.id,
        a,
        t.runs(a.id).frames,
        (after) => t.frames(a.id, { afterSeq: after }),
        (on) => t.subscribeFrames(a.id, (batch) => on(batch.frames, batch.skipped)),
        (frames, skipped) => conn.push('frames.batch', { serverId: a.id, frames, skipped }),
        conn.hub.options,
      ),
    'frames.unsubscribe': (a, conn) => unsubscribe(conn.frameStreams, a.id),
    'frames.clear': (a) => {
      t.clearFrames(a.id);
      return null;
    },
  } satisfies SomeHandlers;
}
