import type { ShellBridge } from '@shared/shell-info';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the UI runs in a browser. */
    patchbay?: ShellBridge;
  }
}
