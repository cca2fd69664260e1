// A recording stand-in for the parts of the `electron` module the main process uses, so the
// built bundle can run under plain Node (no Electron binary can be downloaded here).
// It reports what the app does to the parent test over the IPC channel (`process.send`) and
// takes commands from it: invoke an IPC handler, close the window, quit.
// Single-instance lock: a lock file in userData (sync, like Electron's) plus a Unix socket the
// first instance listens on, so a second process really reaches the first.
import { EventEmitter } from 'node:events';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const userData = process.env.PATCHBAY_STAND_IN_USER_DATA ?? join(tmpdir(), 'patchbay-stand-in');

function report(type, data = {}) {
  process.send?.({ type, ...data });
}

function preventable() {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

const windows = [];
let focusedId;
let nextContentsId = 1;

class App extends EventEmitter {
  #ready;
  #markReady = () => {};
  #quitting = false;
  #lockNotice = Promise.resolve();
  #lockServer;

  constructor() {
    super();
    this.#ready = new Promise((resolve) => (this.#markReady = resolve));
  }

  whenReady() {
    return this.#ready;
  }

  /** Called by the stand-in once the module graph has run (Electron fires `ready` after the main script). */
  becomeReady() {
    report('app-ready');
    this.emit('ready');
    this.#markReady();
  }

  getPath(name) {
    if (name === 'userData') return userData;
    return join(userData, `path-${name}`);
  }

  getVersion() {
    return '0.0.0-stand-in';
  }

  requestSingleInstanceLock() {
    const lockFile = join(userData, 'stand-in.lock');
    const socketPath = join(userData, 'stand-in.sock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        closeSync(openSync(lockFile, 'wx'));
        writeFileSync(lockFile, String(process.pid));
        rmSync(socketPath, { force: true });
        this.#lockServer = createServer((socket) => {
          let text = '';
          socket.setEncoding('utf8').on('data', (chunk) => (text += chunk));
          socket.on('end', () => {
            const argv = JSON.parse(text || '[]');
            report('second-instance', { argv });
            this.emit('second-instance', preventable(), argv, process.cwd());
          });
        }).listen(socketPath);
        this.#lockServer.unref();
        report('single-instance-lock', { granted: true });
        return true;
      } catch {
        const holder = Number(readFileSync(lockFile, 'utf8'));
        if (holder && isAlive(holder)) break;
        rmSync(lockFile, { force: true }); // a crashed holder's stale lock
      }
    }
    report('single-instance-lock', { granted: false });
    this.#lockNotice = new Promise((resolve) => {
      const socket = createConnection(socketPath, () => socket.end(JSON.stringify(process.argv)));
      socket.on('close', resolve).on('error', resolve);
    });
    return false;
  }

  quit() {
    if (this.#quitting) return;
    const before = preventable();
    this.emit('before-quit', before);
    if (before.defaultPrevented) {
      report('quit-deferred');
      return;
    }
    this.#quitting = true;
    for (const win of [...windows]) {
      if (!win.close()) {
        this.#quitting = false;
        return;
      }
    }
    const will = preventable();
    this.emit('will-quit', will);
    if (will.defaultPrevented) {
      this.#quitting = false;
      return;
    }
    this.emit('quit');
    void this.#lockNotice.then(() => this.exit(0));
  }

  exit(code = 0) {
    if (existsSync(join(userData, 'stand-in.lock')) && this.#lockServer) {
      rmSync(join(userData, 'stand-in.lock'), { force: true });
    }
    report('exit', { code });
    // Let the report reach the parent before the process goes.
    setImmediate(() => process.exit(code));
  }

  get quitting() {
    return this.#quitting;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const app = new App();

class WebContents extends EventEmitter {
  id = nextContentsId++;
  url = '';
  windowOpenHandler;

  send(channel, name) {
    report('webcontents-send', { channel, name });
  }

  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }

  getURL() {
    return this.url;
  }
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return [...windows];
  }

  static getFocusedWindow() {
    return windows.find((w) => w.webContents.id === focusedId);
  }

  #destroyed = false;

  constructor(options = {}) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    windows.push(this);
    report('window-created', { options: JSON.parse(JSON.stringify(options)) });
  }

  loadFile(path) {
    report('window-load-file', { path });
    return this.#load(pathToFileURL(path).href);
  }

  loadURL(url) {
    report('window-load-url', { url });
    return this.#load(url);
  }

  #load(url) {
    this.webContents.url = url;
    this.webContents.emit('did-start-loading');
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }

  show() {
    report('window-show');
  }

  hide() {
    report('window-hide');
  }

  focus() {
    focusedId = this.webContents.id;
    report('window-focus');
  }

  isMinimized() {
    return false;
  }

  restore() {}
  maximize() {}

  isMaximized() {
    return false;
  }

  isDestroyed() {
    return this.#destroyed;
  }

  getNormalBounds() {
    return { x: 0, y: 0, width: this.options.width ?? 800, height: this.options.height ?? 600 };
  }

  /** True when the window really closed (a `close` listener may keep it open). */
  close() {
    if (this.#destroyed) return true;
    const event = preventable();
    this.emit('close', event);
    if (event.defaultPrevented) {
      report('window-close-prevented');
      return false;
    }
    this.#destroyed = true;
    windows.splice(windows.indexOf(this), 1);
    if (focusedId === this.webContents.id) focusedId = undefined;
    this.emit('closed');
    this.webContents.emit('destroyed');
    report('window-closed');
    if (windows.length === 0 && !app.quitting) app.emit('window-all-closed');
    return true;
  }
}

const handlers = new Map();

export const ipcMain = {
  handle(channel, listener) {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, listener);
    report('ipc-handle', { channel });
  },
  removeHandler(channel) {
    handlers.delete(channel);
  },
  on(channel) {
    report('ipc-on', { channel });
  },
};

class MenuItems {
  constructor(template) {
    this.items = template;
  }
}

export const Menu = {
  buildFromTemplate: (template) => new MenuItems(template),
  setApplicationMenu() {},
};

function labelsOf(items) {
  return items.flatMap((item) => [
    ...(item.label ? [item.label] : []),
    ...(item.submenu ? labelsOf(item.submenu).map((l) => `  ${l}`) : []),
  ]);
}

let trayMenu;

export class Tray {
  constructor(image) {
    report('tray-created', { iconPath: image?.path, iconExists: image ? !image.isEmpty() : false });
  }

  setToolTip(text) {
    report('tray-tooltip', { text });
  }

  setContextMenu(menu) {
    trayMenu = menu;
    report('tray-menu', { labels: labelsOf(menu.items) });
  }
}

class Image {
  constructor(path) {
    this.path = path;
  }

  resize() {
    return this;
  }

  isEmpty() {
    return !existsSync(this.path);
  }
}

export const nativeImage = {
  createFromPath: (path) => new Image(path),
  createEmpty: () => new Image(''),
};

const backend = process.env.PATCHBAY_STAND_IN_STORAGE_BACKEND ?? 'gnome_libsecret';
const MARK = 'stand-in-sealed:';

export const safeStorage = {
  isEncryptionAvailable: () => backend !== 'unavailable',
  getSelectedStorageBackend: () => backend,
  encryptString(plain) {
    report('safe-storage-encrypt');
    return Buffer.from(MARK + Buffer.from(plain, 'utf8').toString('base64'));
  },
  decryptString(data) {
    const text = data.toString('utf8');
    if (!text.startsWith(MARK)) throw new Error('Error while decrypting the ciphertext provided');
    return Buffer.from(text.slice(MARK.length), 'base64').toString('utf8');
  },
};

let clipboardText = '';
export const clipboard = {
  writeText(text) {
    clipboardText = text;
    report('clipboard-write', { bytes: Buffer.byteLength(text) });
  },
  readText: () => clipboardText,
};

export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showMessageBox: async () => ({ response: 0 }),
  showErrorBox: (title) => report('error-box', { title }),
};

export const shell = {
  openExternal: async (url) => report('open-external', { url }),
};

export class Notification {
  static isSupported() {
    return true;
  }

  constructor(options) {
    this.options = options;
  }

  show() {
    report('notification', { title: this.options.title, body: this.options.body });
  }
}

export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};

// Commands from the test.
process.on('message', (cmd) => {
  switch (cmd?.cmd) {
    case 'invoke': {
      const handler = handlers.get(cmd.channel);
      const win = windows[0];
      if (!handler || !win) {
        report('invoke-result', {
          ref: cmd.ref,
          error: handler ? 'no window' : `no handler for ${cmd.channel}`,
        });
        return;
      }
      const event = { sender: win.webContents, senderFrame: { url: cmd.frameUrl ?? win.webContents.url } };
      Promise.resolve(handler(event, ...(cmd.args ?? [])))
        .then((result) => report('invoke-result', { ref: cmd.ref, result }))
        .catch((err) => report('invoke-result', { ref: cmd.ref, error: String(err) }));
      return;
    }
    case 'close-window':
      windows[0]?.close();
      return;
    case 'tray-click': {
      const item = findItem(trayMenu?.items ?? [], cmd.label);
      if (item?.click) item.click();
      report('tray-clicked', { label: cmd.label, found: Boolean(item?.click) });
      return;
    }
    case 'quit':
      app.quit();
      return;
    default:
      report('unknown-command', { cmd });
  }
});

function findItem(items, label) {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = item.submenu ? findItem(item.submenu, label) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

// Electron emits `ready` after the main script's first run; so does the stand-in.
setImmediate(() => app.becomeReady());
