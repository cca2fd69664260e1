import {
  type ApiResult,
  type CommandName,
  type EventName,
  WS_PATH,
  type WsServerMessage,
} from '@shared/contract';
import type { Transport } from './transport';

/**
 * The contract over the WebSocket of `patchbay serve`. Calls made while the socket is
 * down wait for it; on a drop it reconnects with backoff and tells the stores, which
 * resubscribe from their last sequence number (no gap, no duplicate).
 */
export function webSocketTransport(
  url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`,
): Transport {
  const eventListeners = new Set<(name: EventName, payload: unknown) => void>();
  const reconnectListeners = new Set<() => void>();
  const pending = new Map<number, (r: ApiResult<unknown>) => void>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket | undefined;
  let delay = 250;
  let needsResync = false;

  const connect = () => {
    const ws = new WebSocket(url);
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      delay = 250;
      for (const m of queue.splice(0)) ws.send(m);
      // Resync after any drop, and after calls failed before the first open (a load that
      // failed must run again): the stores reload and resubscribe from their last seq.
      if (needsResync) for (const l of reconnectListeners) l();
      needsResync = false;
    };
    ws.onmessage = (e: MessageEvent<string>) => {
      const msg = JSON.parse(e.data) as WsServerMessage;
      if (msg.t === 'result') {
        pending.get(msg.id)?.(msg.result);
        pending.delete(msg.id);
      } else {
        for (const l of eventListeners) l(msg.name, msg.payload);
      }
    };
    ws.onclose = () => {
      // A call that failed here must not run later: its queued message goes too.
      queue.length = 0;
      if (opened || pending.size > 0) needsResync = true;
      for (const [id, resolve] of pending) {
        resolve({ ok: false, error: { code: 'disconnected', message: 'Lost the connection to Patchbay' } });
        pending.delete(id);
      }
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  };
  connect();

  return {
    call(name: CommandName, args: unknown) {
      const id = nextId++;
      const text = JSON.stringify({ t: 'call', id, name, args });
      return new Promise((resolve) => {
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
  };
}
