import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_CLOSE_BAD_TOKEN, type WsServerMessage, WS_PATH, type WsClientMessage } from '@shared/contract';
import type { ApiHub } from '../core/api/api-hub';

/** A socket that lets this much go unsent is not keeping up: it is closed and will resync. */
const MAX_BUFFERED = 16 * 1024 * 1024;
/** A socket that has not sent its token by then is closed (no half-open sockets piling up). */
const AUTH_TIMEOUT_MS = 10_000;

export interface WsGate {
  /** Checked on the upgrade: our Host and our own Origin. */
  allowUpgrade(req: IncomingMessage): boolean;
  /** Checked on the first message: the launch token. */
  tokenMatches(token: unknown): boolean;
}

/**
 * The contract over a WebSocket for `patchbay serve`: `call` messages in, `result` and
 * `event` messages out. Upgrades are accepted only on WS_PATH from our own origin; the
 * first message must be `{t:'auth', token}` with the launch token, and until it arrives
 * nothing else is read and no event is sent. A wrong token closes with WS_CLOSE_BAD_TOKEN.
 */
export function bindWebSocket(hub: ApiHub, gate: WsGate) {
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
    let conn: ReturnType<ApiHub['connect']> | undefined;
    const authTimer = setTimeout(() => ws.close(WS_CLOSE_BAD_TOKEN, 'No launch token sent'), AUTH_TIMEOUT_MS);
    ws.on('message', (data) => {
      let msg: WsClientMessage;
      try {
        const text = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        msg = JSON.parse(text.toString('utf8')) as WsClientMessage;
      } catch {
        ws.close(1007, 'Not JSON');
        return;
      }
      if (conn === undefined) {
        clearTimeout(authTimer);
        if (msg?.t !== 'auth' || !gate.tokenMatches(msg.token)) {
          ws.close(WS_CLOSE_BAD_TOKEN, 'Bad launch token: open the URL that `patchbay serve` printed');
          return;
        }
        conn = hub.connect((name, payload) => send({ t: 'event', name, payload }));
        send({ t: 'ready' });
        return;
      }
      if (msg?.t !== 'call' || typeof msg.id !== 'number') return;
      const { id } = msg;
      void conn.call(msg.name, msg.args).then((result) => send({ t: 'result', id, result }));
    });
    const closed = () => {
      clearTimeout(authTimer);
      conn?.close();
    };
    ws.on('close', closed);
    ws.on('error', closed);
  });

  return {
    /** Handles an HTTP upgrade; refuses anything but an allowed request for WS_PATH. */
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const path = (req.url ?? '').split('?')[0];
      if (path !== WS_PATH || !gate.allowUpgrade(req)) {
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
