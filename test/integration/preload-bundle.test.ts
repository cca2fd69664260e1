// The preload as built (out/preload/index.cjs), run in a VM context the way a sandboxed
// Electron preload runs: `require` answers only 'electron' (contextBridge, ipcRenderer).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { IPC } from '../../src/shared/contract';
import { SHELL_GLOBAL } from '../../src/shared/shell-info';
import { repoRoot, requireBuild } from '../support/paths';

interface Exposed {
  kind: string;
  platform: string;
  call(name: string, args: unknown): Promise<unknown>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}

function loadPreload() {
  requireBuild();
  const code = readFileSync(resolve(repoRoot, 'out/preload/index.cjs'), 'utf8');
  const required: string[] = [];
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => {
        if (exposed.has(key)) throw new Error(`exposed twice: ${key}`);
        exposed.set(key, api);
      },
    },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        invoked.push(args);
        return Promise.resolve({ ok: true, value: 'answered' });
      },
      on: (channel: string, fn: (...args: unknown[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(fn);
      },
      removeListener: (channel: string, fn: (...args: unknown[]) => void) =>
        listeners.get(channel)?.delete(fn),
    },
  };
  const module = { exports: {} };
  runInNewContext(code, {
    require: (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require '${name}'`);
      return electron;
    },
    module,
    exports: module.exports,
    process: { platform: 'linux' },
  });
  return { required, exposed, invoked, listeners };
}

describe('the built preload', () => {
  it('exposes exactly the contract bridge on one global, and requires nothing but electron', () => {
    const { required, exposed } = loadPreload();
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual([SHELL_GLOBAL]);
    const bridge = exposed.get(SHELL_GLOBAL) as Exposed;
    expect(Object.keys(bridge).sort()).toEqual(['call', 'kind', 'onEvent', 'platform']);
    expect(bridge.kind).toBe('electron');
    expect(bridge.platform).toBe('linux');
  });

  it('calls go through the contract invoke channel, and nothing else reaches the page', async () => {
    const { exposed, invoked } = loadPreload();
    const bridge = exposed.get(SHELL_GLOBAL) as Exposed;
    await expect(bridge.call('servers.list', undefined)).resolves.toEqual({ ok: true, value: 'answered' });
    expect(invoked).toEqual([[IPC.call, 'servers.list', undefined]]);
    // No ipcRenderer, no Node: functions only forward, they are not the raw objects.
    expect(Object.values(bridge).some((v) => typeof v === 'object' && v !== null)).toBe(false);
  });

  it('events arrive on the contract event channel until unsubscribed, without the IPC event object', () => {
    const { exposed, listeners } = loadPreload();
    const bridge = exposed.get(SHELL_GLOBAL) as Exposed;
    const got: unknown[][] = [];
    const off = bridge.onEvent((...args) => got.push(args));
    expect([...listeners.keys()]).toEqual([IPC.event]);
    const [fn] = [...listeners.get(IPC.event)!];
    fn!({ sender: 'ipc-event-object' }, 'server.status', { id: 'a' });
    expect(got).toEqual([['server.status', { id: 'a' }]]);
    off();
    expect(listeners.get(IPC.event)!.size).toBe(0);
  });
});
