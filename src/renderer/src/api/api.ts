import type { ApiResult, ArgsOf, CommandName, EventName, PayloadOf, ResultOf } from '@shared/contract';
import type { LinkHealth, Transport } from './transport';
import { reloadOnNewLaunchToken, takeLaunchToken } from './launch-token';
import { webSocketTransport } from './ws-transport';

/** The single `api` the renderer uses, whichever shell hosts it. */
export interface Api {
  call<C extends CommandName>(
    name: C,
    ...args: ArgsOf<C> extends void ? [] : [ArgsOf<C>]
  ): Promise<ApiResult<ResultOf<C>>>;
  on<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void): () => void;
  onReconnect(listener: () => void): () => void;
  /** The link to the engine now (Electron's IPC is always connected). */
  health(): LinkHealth;
  onHealth(listener: (health: LinkHealth) => void): () => void;
}

/** Types the transport's untyped channel with the contract. */
export function createApi(transport: Transport): Api {
  return {
    call: (name, ...args) => transport.call(name, args[0]) as never,
    on: (name, listener) =>
      transport.onEvent((n, payload) => {
        if (n === name) listener(payload as never);
      }),
    onReconnect: (listener) => transport.onReconnect(listener),
    health: () => transport.health(),
    onHealth: (listener) => transport.onHealth(listener),
  };
}

function ipcTransport(): Transport | undefined {
  const bridge = window.patchbay;
  if (!bridge) return undefined;
  return {
    call: (name, args) => bridge.call(name, args),
    onEvent: (listener) => bridge.onEvent(listener),
    onReconnect: () => () => {},
    health: () => 'connected',
    onHealth: () => () => {},
  };
}

function browserTransport(): Transport {
  reloadOnNewLaunchToken();
  return webSocketTransport(undefined, takeLaunchToken());
}

export const api: Api = createApi(ipcTransport() ?? browserTransport());
