/** Which shell hosts the renderer: the Electron window or a browser via `patchbay serve`. */
export type ShellKind = 'electron' | 'browser';

/** What the preload exposes on `window.patchbay` before the full contract exists. */
export interface ShellInfo {
  kind: ShellKind;
  platform: string;
}

export const SHELL_GLOBAL = 'patchbay';
