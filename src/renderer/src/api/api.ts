import type { ApiResult, ArgsOf, CommandName, EventName, PayloadOf, ResultOf } from '@shared/contract';
import type { Transport } from './transport';
import { takeLaunchToken } from './launch-token';
import { webSocketTransport } from './ws-transport';

/** The single `api` the renderer uses, whichever shell hosts it. */
export interface Api {
  call<C extends CommandName>(
    name: C,
    ...args: ArgsOf<C> extends void ? [] : [ArgsOf<C>]
  ): Promise<ApiResult<ResultOf<C>>>;
  on<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void): () => void;
  onReconnect(listener: () => void): () => void;
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
  };
}

function ipcTransport(): Transport | undefined {
  const bridge = window.patchbay;
  if (!bridge) return undefined;
  return {
    call: (name, args) => bridge.call(name, args),
    onEvent: (listener) => bridge.onEvent(listener),
    onReconnect: () => () => {},
  };
}

export const api: Api = createApi(ipcTransport() ?? webSocketTransport(undefined, takeLaunchToken()));
