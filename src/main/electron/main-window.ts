import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, shell } from 'electron';
import { loadWindowState, rememberWindowState } from './window-state';

/** Links the window hands to the OS: the web, and the clients' install deep links. */
const EXTERNAL_SCHEMES = ['https://', 'cursor://', 'vscode:', 'vscode-insiders:'];

/** True for a URL of our own renderer (the built files, or the dev server in `npm run dev`). */
export function isRendererUrl(url: string): boolean {
  const dev = process.env['ELECTRON_RENDERER_URL'];
  if (dev && url.startsWith(dev)) return true;
  return url.startsWith(pathToFileURL(join(import.meta.dirname, '../renderer/')).href);
}

/** Creates the app window with the renderer locked down (isolated, sandboxed, no Node). */
export function createMainWindow(stateDir: string): BrowserWindow {
  const saved = loadWindowState(stateDir);
  const win = new BrowserWindow({
    width: saved?.bounds.width ?? 1200,
    height: saved?.bounds.height ?? 800,
    ...(saved ? { x: saved.bounds.x, y: saved.bounds.y } : {}),
    minWidth: 760,
    minHeight: 480,
    show: false,
    title: 'Patchbay',
    icon: join(import.meta.dirname, '../../resources/icon.png'),
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => {
    if (saved?.maximized) win.maximize();
    win.show();
  });
  rememberWindowState(win, stateDir);

  // The renderer never navigates away or opens windows; web links go to the system browser,
  // the Connect tab's install links to the client that owns the scheme (it asks the user).
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (EXTERNAL_SCHEMES.some((scheme) => url.startsWith(scheme))) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (url !== win.webContents.getURL()) event.preventDefault();
  });

  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return win;
}
