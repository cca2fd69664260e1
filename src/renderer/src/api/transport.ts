import type { ApiResult, CommandName, EventName } from '@shared/contract';

/** Moves contract calls and events; Electron IPC or a WebSocket. */
export interface Transport {
  call(name: CommandName, args: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  /** Told when the link comes back after a drop: streams must resubscribe. */
  onReconnect(listener: () => void): () => void;
}
