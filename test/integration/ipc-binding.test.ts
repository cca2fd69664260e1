import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IPC } from '@shared/contract';
import { ApiHub } from '../../src/main/core/api/api-hub';
import { ServerManager } from '../../src/main/core/manager/server-manager';
import {
  type IpcEventLike,
  type IpcMainLike,
  type WebContentsLike,
  bindIpc,
} from '../../src/main/electron/ipc-binding';

// No Electron runtime exists here: these two fakes stand in for ipcMain and a window's
// webContents, and nothing else is faked (the manager and its database are real).
class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(sender: FakeWebContents, url: string, ...args: unknown[]): Promise<unknown> {
    return this.handlers.get(IPC.call)!({ sender, senderFrame: { url } }, ...args);
  }
}
class FakeWebContents implements WebContentsLike {
  sent: { channel: string; args: unknown[] }[] = [];
  private destroyed: (() => void)[] = [];
  private loading: (() => void)[] = [];
  constructor(readonly id: number) {}
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  once(_event: 'destroyed', listener: () => void): void {
    this.destroyed.push(listener);
  }
  on(_event: 'did-start-loading', listener: () => void): void {
    this.loading.push(listener);
  }
  destroy(): void {
    for (const l of this.destroyed) l();
  }
  reload(): void {
    for (const l of this.loading) l();
  }
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A real manager and hub behind the binding, on a fake ipcMain that trusts file:///app/renderer/. */
function bound() {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-ipc-'));
  const manager = ServerManager.open({ dataDir: dir });
  const hub = new ApiHub(manager);
  const ipc = new FakeIpcMain();
  const unbind = bindIpc(ipc, hub, (url) => url.startsWith('file:///app/renderer/'));
  cleanup.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => manager.shutdown(),
    () => hub.close(),
    unbind,
  );
  return { manager, ipc, unbind };
}

describe('the Electron IPC binding', () => {
  it('runs contract commands from our renderer and pushes events on the contract channel', async () => {
    const { ipc } = bound();

    const win = new FakeWebContents(1);
    const trusted = 'file:///app/renderer/index.html';
    expect(await ipc.invoke(win, trusted, 'servers.list', undefined)).toEqual({ ok: true, value: [] });
    const created = (await ipc.invoke(win, trusted, 'servers.create', { name: 'ipc', command: 'node' })) as {
      ok: boolean;
      value: { id: string };
    };
    expect(created.ok).toBe(true);
    expect(win.sent.some((m) => m.channel === IPC.event && m.args[0] === 'servers.changed')).toBe(true);
    expect(await ipc.invoke(win, trusted, 'nope', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_command' },
    });
  });

  it('refuses frames that are not our renderer, and closes a window’s subscriptions with it', async () => {
    const { manager, ipc, unbind } = bound();

    const win = new FakeWebContents(2);
    expect(await ipc.invoke(win, 'https://evil.example/', 'servers.list', undefined)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    await ipc.invoke(win, 'file:///app/renderer/index.html', 'servers.create', {
      name: 'x',
      command: 'node',
    });
    // A reload ends the old page's connection; the new page's first call opens another.
    win.reload();
    let before = win.sent.length;
    await manager.create({ name: 'after reload', command: 'node' });
    expect(win.sent.length).toBe(before);
    await ipc.invoke(win, 'file:///app/renderer/index.html', 'servers.list', undefined);
    await manager.create({ name: 'seen again', command: 'node' });
    expect(win.sent.length).toBeGreaterThan(before);

    before = win.sent.length;
    win.destroy();
    await manager.create({ name: 'after close', command: 'node' });
    expect(win.sent.length).toBe(before); // its connection is gone: no more pushes
    unbind();
    expect(ipc.handlers.has(IPC.call)).toBe(false);
  });
});
