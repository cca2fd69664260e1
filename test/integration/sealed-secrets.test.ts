// One data dir, two shells: secrets one sealed that the other cannot open (the desktop app's
// OS keychain, seen from `patchbay serve`) must neither stop Patchbay nor be lost or dropped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, type PatchbayError } from '../../src/main/core/errors';
import { ServerManager } from '../../src/main/core/manager/server-manager';
import { KeyFileCipher } from '../../src/main/core/store/secret-cipher';
import { FIXTURE } from '../support/engine-client';
import { initializeAt } from '../support/initialize-status';

const dirs: string[] = [];
const open: ServerManager[] = [];
afterEach(async () => {
  for (const m of open.splice(0)) await m.shutdown();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'patchbay-sealed-'));
  dirs.push(d);
  return d;
}

/** The "app" seals with a key this shell never sees; the "serve" shell uses the dir's key file. */
function shells(dataDir: string) {
  const keychain = new KeyFileCipher(join(tempDir(), 'keychain.key'));
  const openWith = (cipher?: KeyFileCipher) => {
    const m = ServerManager.open({ dataDir, shutdownTimeoutMs: 3000, ...(cipher ? { cipher } : {}) });
    open.push(m);
    return m;
  };
  return { app: () => openWith(keychain), serve: () => openWith() };
}

const initializeStatus = async (url: string) => (await initializeAt(url)).status;

describe('secrets sealed by another shell', () => {
  it('load, refuse to start or hand out the key (saying why), survive edits, and open again where sealed', async () => {
    const dataDir = tempDir();
    const { app, serve } = shells(dataDir);
    const first = app();
    const created = await first.create({
      name: 'sealed',
      command: process.execPath,
      args: [FIXTURE],
      env: [{ key: 'API_KEY', value: 'sk-only-the-app-knows', secret: true }],
    });
    expect(created.hasToken).toBe(true);
    await first.start(created.id);
    const keyed = first.connectUrls(created.id).url;
    await first.shutdown(); // left running: the next shell restores it

    const other = serve();
    // Opening the store does not throw; the list is whole, the key still "set".
    expect(other.list().map((s) => [s.name, s.hasToken])).toEqual([['sealed', true]]);
    const [restored] = await other.restore();
    expect(restored!.state.status).toBe('stopped');
    expect(restored!.error?.code).toBe('sealed');
    expect(restored!.error?.message).toMatch(/API_KEY/);
    const err = (await other.start(created.id).catch((e: unknown) => e)) as PatchbayError;
    expect(err.code).toBe(ErrorCode.Sealed);
    expect(err.message).toMatch(/API_KEY, its key were saved by another Patchbay/);
    expect(err.message).toMatch(/enter them again in Edit/);
    expect(() => other.connectUrls(created.id)).toThrow(/its key was saved by another Patchbay/);
    expect(JSON.stringify(other.clientSnippets(created.id))).not.toContain('sealed:');
    // The server was never opened without its key.
    expect(other.status(created.id).url).toBeUndefined();

    // An edit here (name only) keeps both sealed values exactly.
    await other.update(created.id, {
      name: 'sealed renamed',
      command: process.execPath,
      args: [FIXTURE],
      env: [{ key: 'API_KEY', secret: true }],
    });
    await other.shutdown();

    const back = app();
    expect(back.get(created.id).name).toBe('sealed renamed');
    await back.start(created.id);
    expect(back.connectUrls(created.id).url).toBe(keyed);
    expect(await initializeStatus(keyed)).toBe(200);
    expect(await initializeStatus(back.status(created.id).url!)).toBe(401);
    await back.shutdown();

    // Entered again in the other shell: it starts there, with the new key required.
    const again = serve();
    await again.update(created.id, {
      name: 'sealed renamed',
      command: process.execPath,
      args: [FIXTURE],
      env: [{ key: 'API_KEY', value: 'sk-entered-again', secret: true }],
      token: 'a-new-key-entered-in-serve',
    });
    await again.start(created.id);
    expect(again.connectUrls(created.id).url).toMatch(/\?key=a-new-key-entered-in-serve$/);
    expect(await initializeStatus(again.connectUrls(created.id).url)).toBe(200);
    expect(await initializeStatus(again.status(created.id).url!)).toBe(401);
  });
});
