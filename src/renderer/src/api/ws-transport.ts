import {
  type ApiError,
  type ApiResult,
  type CommandName,
  type EventName,
  WS_CLOSE_BAD_TOKEN,
  WS_PATH,
  type WsServerMessage,
} from '@shared/contract';
import { ErrorCode } from '@shared/error-codes';
import type { LinkHealth, Transport } from './transport';

const DISCONNECTED: ApiError = { code: ErrorCode.Disconnected, message: 'Lost the connection to Patchbay' };

/**
 * The contract over the WebSocket of `patchbay serve`. The launch token goes first on
 * every (re)connect. Calls made while the socket is down wait for it; on a drop it
 * reconnects with backoff and tells the stores, which resubscribe from their last
 * sequence number (no gap, no duplicate). A refused token stops the retries: only the
 * printed URL helps then.
 */
export function webSocketTransport(
  url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`,
  token?: string,
): Transport {
  const eventListeners = new Set<(name: EventName, payload: unknown) => void>();
  const reconnectListeners = new Set<() => void>();
  const healthListeners = new Set<(health: LinkHealth) => void>();
  let health: LinkHealth = 'connecting';
  const setHealth = (next: LinkHealth) => {
    if (next === health) return;
    health = next;
    for (const l of healthListeners) l(next);
  };
  const pending = new Map<number, (r: ApiResult<unknown>) => void>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket | undefined;
  let delay = 250;
  let needsResync = false;
  let refused = false;

  const connect = () => {
    const ws = new WebSocket(url);
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      delay = 250;
      setHealth('connected');
      // Messages are read in order: the token is checked before any queued call.
      if (token !== undefined) ws.send(JSON.stringify({ t: 'auth', token }));
      for (const m of queue.splice(0)) ws.send(m);
      // Resync after any drop, and after calls failed before the first open (a load that
      // failed must run again): the stores reload and resubscribe from their last seq.
      if (needsResync) for (const l of reconnectListeners) l();
      needsResync = false;
    };
    ws.onmessage = (e: MessageEvent<string>) => {
      const msg = JSON.parse(e.data) as WsServerMessage;
      if (msg.t === 'ready') return;
      if (msg.t === 'result') {
        pending.get(msg.id)?.(msg.result);
        pending.delete(msg.id);
      } else {
        for (const l of eventListeners) l(msg.name, msg.payload);
      }
    };
    ws.onclose = (e?: CloseEvent) => {
      // A call that failed here must not run later: its queued message goes too.
      queue.length = 0;
      if (opened || pending.size > 0) needsResync = true;
      refused = e?.code === WS_CLOSE_BAD_TOKEN;
      // A close is at once a lost link: the window says so and stops offering actions.
      setHealth(refused ? 'refused' : 'lost');
      for (const [id, resolve] of pending) {
        resolve({ ok: false, error: refusedError() ?? DISCONNECTED });
        pending.delete(id);
      }
      if (refused) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  };
  const refusedError = (): ApiError | undefined =>
    refused
      ? {
          code: ErrorCode.Unauthorized,
          message: 'Patchbay refused this page’s access token: open the URL that `patchbay serve` printed.',
        }
      : undefined;
  connect();

  return {
    call(name: CommandName, args: unknown) {
      const id = nextId++;
      const text = JSON.stringify({ t: 'call', id, name, args });
      return new Promise((resolve) => {
        const error = refusedError();
        if (error) {
          resolve({ ok: false, error });
          return;
        }
        if (health === 'lost') {
          // Not queued: an action the user was told failed must not run when the link returns.
          resolve({ ok: false, error: DISCONNECTED });
          return;
        }
        pending.set(id, resolve);
        if (socket?.readyState === WebSocket.OPEN) socket.send(text);
        else queue.push(text);
      });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    health: () => health,
    onHealth(listener) {
      healthListeners.add(listener);
      return () => healthListeners.delete(listener);
    },
  };
}
