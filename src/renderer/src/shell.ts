import { SHELL_CAPABILITIES, type ShellCapabilities, type ShellKind } from '@shared/shell-info';

/** Which shell hosts this page; the preload says so in Electron, a browser has no preload. */
export function currentShell(): ShellKind {
  return window.patchbay?.kind ?? 'browser';
}

/** What this shell can do (system clipboard, folder dialog, external links): the UI decides from this. */
export function shellCapabilities(): ShellCapabilities {
  return SHELL_CAPABILITIES[currentShell()];
}
