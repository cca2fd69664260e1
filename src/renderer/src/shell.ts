import type { ShellKind } from '@shared/shell-info';

/** Which shell hosts this page; the preload says so in Electron, a browser has no preload. */
export function currentShell(): ShellKind {
  return window.patchbay?.kind ?? 'browser';
}
