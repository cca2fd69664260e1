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

export const SHELL_GLOBAL = 'patchbay';
