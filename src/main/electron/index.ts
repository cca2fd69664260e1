import { BrowserWindow, app, clipboard, dialog, ipcMain } from 'electron';
import { ApiHub } from '../core/api/api-hub';
import { ServerManager } from '../core/manager/server-manager';
import { notifyCrashes } from './crash-notifications';
import { bindIpc } from './ipc-binding';
import { createMainWindow, isRendererUrl } from './main-window';
import { systemCipher } from './safe-storage-cipher';
import { createTray } from './tray';

// main.ts only wires: each domain registers itself.
let manager: ServerManager | undefined;
let quitting = false;

function showWindow(): void {
  const win = BrowserWindow.getAllWindows()[0] ?? openWindow();
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

function openWindow(): BrowserWindow {
  const win = createMainWindow(app.getPath('userData'));
  // Closing the window keeps the servers running in the tray, unless the user turned it off.
  win.on('close', (event) => {
    if (!quitting && manager?.closeToTray()) {
      event.preventDefault();
      win.hide();
    }
  });
  return win;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    if (!manager?.closeToTray()) app.quit();
  });

  // Quit waits (bounded) for every server to stop, so no child outlives the app.
  app.on('before-quit', (event) => {
    quitting = true;
    const m = manager;
    if (!m) return;
    manager = undefined;
    event.preventDefault();
    void m.shutdown().finally(() => app.quit());
  });

  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      console.error('patchbay: failed to start', err);
      app.exit(1);
    });
}

async function start(): Promise<void> {
  const cipher = systemCipher(app.getPath('userData'));
  const m = ServerManager.open({ dataDir: app.getPath('userData'), ...(cipher ? { cipher } : {}) });
  manager = m;
  const hub = new ApiHub(m, {
    clipboard: (text) => clipboard.writeText(text),
    pickDirectory: async (defaultPath) => {
      const parent = BrowserWindow.getFocusedWindow();
      const options = { properties: ['openDirectory' as const], ...(defaultPath ? { defaultPath } : {}) };
      const picked = parent
        ? await dialog.showOpenDialog(parent, options)
        : await dialog.showOpenDialog(options);
      return picked.canceled ? null : (picked.filePaths[0] ?? null);
    },
  });
  bindIpc(ipcMain, hub, isRendererUrl);
  createTray(m, showWindow);
  notifyCrashes(m);
  openWindow();
  await m.restore();
}
