// The Electron main process as built (out/main/index.js), run under plain Node with a
// recording stand-in for the `electron` module: no Electron binary can be downloaded here,
// and typecheck plus fakes cannot catch a start-up exception, a wrong path to the preload
// or renderer, a module-format mistake, or a quit that leaves children behind.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerManager } from '../../src/main/core/manager/server-manager';
import { IPC } from '../../src/shared/contract';
import { StandInApp, builtMain } from '../support/electron-stand-in/launch';
import { FIXTURE } from '../support/engine-client';
import { initializeAt } from '../support/initialize-status';
import { requireBuild } from '../support/paths';
import { descendants } from '../support/proc-stats';
import { waitGone } from '../support/processes';

const SERVER_NAME = 'restored-fixture';

/** One MCP initialize over HTTP: true when the server at `url` answers it. */
async function answersInitialize(url: string): Promise<boolean> {
  const answer = await initializeAt(url).catch(() => undefined);
  return answer !== undefined && answer.status === 200 && answer.body.includes('"result"');
}

describe('the Electron main process bundle under a recording stand-in', () => {
  let userData: string;
  let url: string;
  let app: StandInApp;

  beforeAll(async () => {
    requireBuild();
    expect(existsSync(builtMain)).toBe(true);
    userData = mkdtempSync(join(tmpdir(), 'patchbay-shell-'));
    // A server the user left running last time: the app must start it again on launch.
    const seed = ServerManager.open({ dataDir: userData, shutdownTimeoutMs: 5000 });
    const server = await seed.create({ name: SERVER_NAME, command: process.execPath, args: [FIXTURE] });
    await seed.start(server.id);
    // With the key it was given here, sealed by the key file as `patchbay serve` seals it:
    // the app (the OS keychain's cipher) must still open it, and serve on the same URL.
    url = seed.connectUrls(server.id).url;
    expect(url).toContain('?key=');
    await seed.shutdown();
    app = new StandInApp(userData);
  });

  afterAll(async () => {
    if (app) {
      app.kill();
      await app.whenExited();
    }
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  it('gets ready without throwing and opens the database in userData', async () => {
    await app.waitFor('app-ready');
    await app.waitFor('tray-menu');
    expect(app.exited).toBe(false);
    expect(existsSync(join(userData, 'patchbay.db'))).toBe(true);
  });

  it('restores the server that was running, and it really serves', async () => {
    const deadline = Date.now() + 20_000;
    while (!(await answersInitialize(url))) {
      if (Date.now() > deadline || app.exited)
        throw new Error(`${url} never answered. Output:\n${app.printed}`);
      await new Promise((r) => setTimeout(r, 100)); // poll interval: the loop above has the deadline
    }
  });

  it('loads the built renderer with the built preload, locked down', async () => {
    const created = await app.waitFor('window-created');
    const prefs = (created['options'] as { webPreferences: Record<string, unknown> }).webPreferences;
    expect(existsSync(prefs['preload'] as string)).toBe(true);
    expect(prefs['preload']).toMatch(/out[\\/]preload[\\/]index\.cjs$/);
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    const loaded = await app.waitFor('window-load-file');
    expect(loaded['path']).toMatch(/out[\\/]renderer[\\/]index\.html$/);
    expect(existsSync(loaded['path'] as string)).toBe(true);
    await app.waitFor('window-show');
  });

  it('registers exactly the contract IPC channels, and answers the page', async () => {
    await app.waitFor('ipc-handle');
    const channels = app.events
      .filter((e) => e.type === 'ipc-handle' || e.type === 'ipc-on')
      .map((e) => e['channel']);
    expect(channels).toEqual([IPC.call]);
    const listed = (await app.invoke(IPC.call, ['servers.list', undefined])) as {
      ok: boolean;
      value: { name: string }[];
    };
    expect(listed.ok).toBe(true);
    expect(listed.value.map((s) => s.name)).toEqual([SERVER_NAME]);
  });

  it('refuses the API to a frame that is not our renderer', async () => {
    const refused = (await app.invoke(IPC.call, ['servers.list', undefined], 'https://example.com/')) as {
      ok: boolean;
    };
    expect(refused.ok).toBe(false);
  });

  it('lists the servers in the tray menu', async () => {
    const menu = await app.waitFor('tray-menu', (e) =>
      (e['labels'] as string[]).some((l) => l.includes(SERVER_NAME) && l.startsWith('●')),
    );
    expect(menu['labels']).toEqual(expect.arrayContaining(['Open Patchbay', 'Quit Patchbay', '  Copy URL']));
    const tray = await app.waitFor('tray-created');
    expect(tray['iconExists']).toBe(true);
  });

  it('keeps running in the tray when the window is closed', async () => {
    app.command('close-window');
    await app.waitFor('window-hide');
    expect(app.events.some((e) => e.type === 'window-closed')).toBe(false);
    expect(await answersInitialize(url)).toBe(true);
  });

  it('a second instance focuses the first and leaves', async () => {
    const focusesBefore = app.events.filter((e) => e.type === 'window-focus').length;
    const second = new StandInApp(userData);
    try {
      const lock = await second.waitFor('single-instance-lock');
      expect(lock['granted']).toBe(false);
      expect(await second.whenExited()).toBe(0);
      await app.waitFor('second-instance');
      const deadline = Date.now() + 10_000;
      while (app.events.filter((e) => e.type === 'window-focus').length === focusesBefore) {
        if (Date.now() > deadline) throw new Error('the first instance never focused its window');
        await new Promise((r) => setTimeout(r, 20));
      }
      // The second instance opened nothing of its own.
      expect(second.events.some((e) => e.type === 'window-created')).toBe(false);
    } finally {
      second.kill();
    }
  });

  it('quit stops every child within the bound and leaves no process behind', async () => {
    const children = descendants(app.child.pid ?? -1);
    expect(children.length).toBeGreaterThan(0); // the restored server's processes
    const asked = Date.now();
    app.command('quit');
    const code = await app.whenExited();
    expect(code).toBe(0);
    // The shell bounds quit at 5 s; allow scheduling slack on a busy machine, not more.
    expect(Date.now() - asked).toBeLessThan(15_000);
    expect(await waitGone(children, 5000)).toEqual([]);
    expect(app.events.some((e) => e.type === 'quit-deferred')).toBe(true);
  });
});
