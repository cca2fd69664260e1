import { contextBridge, ipcRenderer } from 'electron';
import { type EventName, IPC } from '@shared/contract';
import { SHELL_GLOBAL, type ShellBridge } from '@shared/shell-info';

// Only these two functions cross into the page: no ipcRenderer, no Node.
const bridge: ShellBridge = {
  kind: 'electron',
  platform: process.platform,
  call: (name, args) => ipcRenderer.invoke(IPC.call, name, args),
  onEvent: (listener) => {
    const handler = (_event: unknown, name: EventName, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC.event, handler);
    return () => ipcRenderer.removeListener(IPC.event, handler);
  },
};

contextBridge.exposeInMainWorld(SHELL_GLOBAL, bridge);
