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
      if (msg.t === 'result') {
        this.pending.get(msg.id)?.(msg.result);
        this.pending.delete(msg.id);
      } else {
        this.events.push({ name: msg.name, payload: msg.payload });
      }
    });
  }

  /** Connects with the launch token cookie and an Origin; rejects when the server refuses. */
  static connect(url: string, headers: Record<string, string>): Promise<WsApiClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => resolve(new WsApiClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
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
