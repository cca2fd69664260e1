import WebSocket from 'ws';
import type { ApiResult, CommandName, EventName, WsServerMessage } from '../../src/shared/contract';

/** A test client for the contract over the headless shell's WebSocket; records everything it gets. */
export class WsApiClient {
  readonly events: { name: EventName; payload: unknown }[] = [];
  /** Every raw message received, for searching secrets in payloads. */
  readonly raw: string[] = [];
  readonly called = new Set<CommandName>();
  private nextId = 1;
  private readonly pending = new Map<number, (r: ApiResult<unknown>) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)).toString(
        'utf8',
      );
      this.raw.push(text);
      const msg = JSON.parse(text) as WsServerMessage;
      if (msg.t === 'ready') return;
      if (msg.t === 'result') {
        this.pending.get(msg.id)?.(msg.result);
        this.pending.delete(msg.id);
      } else {
        this.events.push({ name: msg.name, payload: msg.payload });
      }
    });
  }

  /**
   * Connects with `headers` (Origin, Host), sends the launch token as the first message
   * (when given) and waits for `ready`; rejects when the server refuses the upgrade
   * (`refused: 403`) or closes on the token (`closed: 4401`).
   */
  static connect(url: string, headers: Record<string, string>, token?: string): Promise<WsApiClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => {
        if (token === undefined) {
          resolve(new WsApiClient(ws));
          return;
        }
        ws.send(JSON.stringify({ t: 'auth', token }));
        ws.once('message', (data) => {
          const text = (
            Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)
          ).toString('utf8');
          if ((JSON.parse(text) as WsServerMessage).t === 'ready') resolve(new WsApiClient(ws));
          else reject(new Error(`expected ready, got ${text}`));
        });
      });
      ws.once('close', (code, reason) => reject(new Error(`closed: ${code} ${reason.toString()}`)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** The launch token in the fragment of the URL `patchbay serve` prints. */
  static tokenOf(printedUrl: string): string {
    const token = new URLSearchParams(new URL(printedUrl).hash.slice(1)).get('token');
    if (!token) throw new Error(`no #token= in ${printedUrl}`);
    return token;
  }

  /** Resolves with the close code once the server closes this socket. */
  closed(): Promise<number> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) resolve(1006);
      else this.ws.once('close', (code) => resolve(code));
    });
  }

  /** Sends raw text, as a hostile client might. */
  sendRaw(text: string): void {
    this.ws.send(text);
  }

  call<T = unknown>(name: CommandName, args?: unknown): Promise<ApiResult<T>> {
    this.called.add(name);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (r: ApiResult<unknown>) => void);
      this.ws.send(JSON.stringify({ t: 'call', id, name, args }));
    });
  }

  /** Calls and unwraps, failing the test with the error message. */
  async ok<T = unknown>(name: CommandName, args?: unknown): Promise<T> {
    const r = await this.call<T>(name, args);
    if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.message}`);
    return r.value;
  }

  /** Waits for an event matching `match` (past or future). */
  async waitEvent(
    match: (e: { name: EventName; payload: unknown }) => boolean,
    timeoutMs = 5000,
  ): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found.payload;
      if (Date.now() > deadline) throw new Error('timed out waiting for an event');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.ws.close();
  }
}
