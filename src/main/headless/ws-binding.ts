import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { type WsServerMessage, WS_PATH, type WsClientMessage } from '@shared/contract';
import type { ApiHub } from '../core/api/api-hub';

/** A socket that lets this much go unsent is not keeping up: it is closed and will resync. */
const MAX_BUFFERED = 16 * 1024 * 1024;

/**
 * The contract over a WebSocket for `patchbay serve`: `call` messages in, `result` and
 * `event` messages out. Upgrades are accepted only on WS_PATH when `allow` says the
 * request carries the launch token and comes from our own origin.
 */
export function bindWebSocket(hub: ApiHub, allow: (req: IncomingMessage) => boolean) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });

  wss.on('connection', (ws: WebSocket) => {
    const send = (msg: WsServerMessage) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED) {
        ws.close(1013, 'Too slow; reconnect to resync');
        return;
      }
      ws.send(JSON.stringify(msg));
    };
    const conn = hub.connect((name, payload) => send({ t: 'event', name, payload }));
    ws.on('message', (data) => {
      let msg: WsClientMessage;
      try {
        const text = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        msg = JSON.parse(text.toString('utf8')) as WsClientMessage;
      } catch {
        ws.close(1007, 'Not JSON');
        return;
      }
      if (msg?.t !== 'call' || typeof msg.id !== 'number') return;
      void conn.call(msg.name, msg.args).then((result) => send({ t: 'result', id: msg.id, result }));
    });
    ws.on('close', () => conn.close());
    ws.on('error', () => conn.close());
  });

  return {
    /** Handles an HTTP upgrade; refuses anything but an allowed request for WS_PATH. */
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const path = (req.url ?? '').split('?')[0];
      if (path !== WS_PATH || !allow(req)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close(): void {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
