import type { ApiResult, CommandName, EventName } from './contract';

/** Which shell hosts the renderer: the Electron window or a browser via `patchbay serve`. */
export type ShellKind = 'electron' | 'browser';

/** What the Electron preload exposes on `window.patchbay`: the contract's two channels. */
export interface ShellBridge {
  kind: 'electron';
  platform: string;
  call(name: CommandName, args: unknown): Promise<ApiResult<unknown>>;
  /** Subscribes to every contract event; returns the unsubscribe function. */
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
}

/** What a shell can do beyond the contract's data: the UI offers only these, no probing through errors. */
export interface ShellCapabilities {
  /** Copy through the main process (no clipboard permission, the real token). */
  systemClipboard: boolean;
  /** The system folder dialog (`dialog.pickDirectory`). */
  pickDirectory: boolean;
  /** A link with `target=_blank` opens in the system browser or its app, not in Patchbay's window. */
  openLinkExternally: boolean;
}

/** Each shell's capabilities, declared once; the hub refuses the rest with `unsupported`. */
export const SHELL_CAPABILITIES: Record<ShellKind, ShellCapabilities> = {
  electron: { systemClipboard: true, pickDirectory: true, openLinkExternally: true },
  browser: { systemClipboard: false, pickDirectory: false, openLinkExternally: false },
};

export const SHELL_GLOBAL = 'patchbay';
