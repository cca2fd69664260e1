import { BrowserWindow, app } from 'electron';
import { createMainWindow } from './main-window';

// main.ts only wires: each domain registers itself as the app grows.
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

  app.whenReady().then(
    () => createMainWindow(),
    (err: unknown) => {
      console.error('patchbay: failed to start', err);
      app.exit(1);
    },
  );
}
