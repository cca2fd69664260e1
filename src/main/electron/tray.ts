import { join } from 'node:path';
import { Menu, type MenuItemConstructorOptions, Tray, app, clipboard, nativeImage } from 'electron';
import type { ServerManager } from '../core/manager/server-manager';

const DOTS = { running: '●', starting: '◐', stopping: '◐', crashed: '✕', stopped: '○' } as const;

/**
 * The tray / menu-bar icon: each server with its state, and Start/Stop and Copy URL in one
 * click; Open brings the window back; Quit stops every server and leaves.
 */
export function createTray(manager: ServerManager, showWindow: () => void): Tray {
  const icon = nativeImage
    .createFromPath(join(import.meta.dirname, '../../resources/icon.png'))
    .resize({ width: 16 });
  const tray = new Tray(icon);
  tray.setToolTip('Patchbay');

  const rebuild = () => {
    const items: MenuItemConstructorOptions[] = manager.list().map((s) => {
      const status = manager.status(s.id);
      const running = status.url !== undefined;
      return {
        label: `${DOTS[status.state.status]} ${s.name}`,
        submenu: [
          {
            label: running ? 'Stop' : 'Start',
            click: () => void (running ? manager.stop(s.id) : manager.start(s.id)).catch(() => {}),
          },
          {
            label: 'Copy URL',
            enabled: running,
            // The capability URL (`?key=…` when the server has a key): it works pasted as-is.
            click: () => clipboard.writeText(manager.connectUrls(s.id).url),
          },
        ],
      };
    });
    tray.setContextMenu(
      Menu.buildFromTemplate([
        ...(items.length ? items : [{ label: 'No servers yet', enabled: false }]),
        { type: 'separator' },
        { label: 'Open Patchbay', click: showWindow },
        { label: 'Quit Patchbay', click: () => app.quit() },
      ]),
    );
  };
  manager.on('servers-changed', rebuild);
  manager.on('server-status', rebuild);
  rebuild();
  return tray;
}
