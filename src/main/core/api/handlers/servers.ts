import type { Servers } from '../../manager/servers';
import type { SomeHandlers } from './types';

/** The servers domain: the list, each server's life and status, its client sessions. */
export function serverHandlers(s: Servers) {
  return {
    'servers.list': () => s.list(),
    'servers.get': (a) => s.get(a.id),
    'servers.create': (a) => s.create(a),
    'servers.update': (a) =>
      s.update(a.id, a.input, {
        ...(a.removeToken ? { removeToken: true } : {}),
        ...(a.restart ? { restart: true } : {}),
      }),
    'servers.delete': async (a) => {
      await s.delete(a.id);
      return null;
    },
    'servers.duplicate': (a) => s.duplicate(a.id),
    'servers.start': (a) => s.start(a.id),
    'servers.stop': (a) => s.stop(a.id),
    'servers.restart': (a) => s.restart(a.id),
    'servers.startAll': () => s.startAll(),
    'servers.stopAll': async () => {
      await s.stopAll();
      return null;
    },
    'servers.status': (a) => s.status(a.id),
    'servers.statuses': () => s.statuses(),
    'sessions.end': async (a) => {
      await s.endSession(a.id, a.sessionId);
      return null;
    },
  } satisfies SomeHandlers;
}
