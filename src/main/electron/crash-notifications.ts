import { Notification } from 'electron';
import type { ServerManager } from '../core/manager/server-manager';

/** A native notification when a server crashes, once per crash, with the reason. */
export function notifyCrashes(manager: ServerManager): void {
  const lastCrash = new Map<string, number>();
  manager.on('server-status', (status) => {
    if (status.state.status !== 'crashed' || lastCrash.get(status.id) === status.state.since) return;
    lastCrash.set(status.id, status.state.since);
    if (!Notification.isSupported()) return;
    const name = manager.list().find((s) => s.id === status.id)?.name ?? 'A server';
    new Notification({
      title: `${name} crashed`,
      body: status.state.reason ?? 'It stopped unexpectedly.',
    }).show();
  });
}
