import type { ApiResult, CommandName, EventName } from '@shared/contract';

/**
 * The link to the engine: `connecting` before the first open, `lost` after a drop (the engine
 * stopped or restarted; retries go on), `refused` when a restarted engine no longer knows this
 * page's launch token (only the newly printed URL helps).
 */
export type LinkHealth = 'connecting' | 'connected' | 'lost' | 'refused';

/** Moves contract calls and events; Electron IPC or a WebSocket. */
export interface Transport {
  call(name: CommandName, args: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  /** Told when the link comes back after a drop: streams must resubscribe. */
  onReconnect(listener: () => void): () => void;
  health(): LinkHealth;
  /** Told on every change of `health()`. */
  onHealth(listener: (health: LinkHealth) => void): () => void;
}
