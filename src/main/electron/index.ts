import { BrowserWindow, app, ipcMain } from 'electron';
import { ApiHub } from '../core/api/api-hub';
import { ServerManager } from '../core/manager/server-manager';
import { bindIpc } from './ipc-binding';
import { createMainWindow, isRendererUrl } from './main-window';
import { systemCipher } from './safe-storage-cipher';

// main.ts only wires: each domain registers itself as the app grows.
let manager: ServerManager | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });

  // Quit waits (bounded) for every server to stop, so no child outlives the app.
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !manager) return;
    quitting = true;
    event.preventDefault();
    void manager.shutdown().finally(() => app.quit());
  });

  app.whenReady().then(
    async () => {
      const cipher = systemCipher();
      manager = ServerManager.open({ dataDir: app.getPath('userData'), ...(cipher ? { cipher } : {}) });
      bindIpc(ipcMain, new ApiHub(manager), isRendererUrl);
      createMainWindow();
      await manager.restore();
    },
    (err: unknown) => {
      console.error('patchbay: failed to start', err);
      app.exit(1);
    },
  );
}
