import type { ShellInfo } from '@shared/shell-info';

/** Which shell hosts this page; the preload says so in Electron, a browser has no preload. */
export function currentShell(): ShellInfo {
  return window.patchbay ?? { kind: 'browser', platform: navigator.platform };
}
