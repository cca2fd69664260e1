import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { JsonRpcMessage } from '../jsonrpc/message';
import type { CallSink } from '../routing/stateless-mux';
import type { Responder } from './http-session';
import type { SseWriter } from './sse-writer';

/**
 * 2026-07-28 errors that go with HTTP 400 when they are the whole answer (HeaderMismatch,
 * MissingRequiredClientCapability, UnsupportedProtocolVersion; [http], [basic] "Error Codes").
 */
const MODERN_BAD_REQUEST = new Set([-32020, -32021, -32022]);

/** Observes JSON bodies the proxy sends (the frame tap's proxy→client HTTP leg). */
export type JsonObserver = (body: string) => void;

type JsonOut = {
  mode: 'json';
  batch: boolean;
  headers: OutgoingHttpHeaders;
  spill: (json: string) => void;
  observe?: JsonObserver;
};
type SseOut = { mode: 'sse'; writer: SseWriter; store?: (json: string) => string };
/** Undecided: JSON if the response is the first frame, SSE once anything else comes first (or the writer started). */
type AutoOut = {
  mode: 'auto';
  writer: SseWriter;
  store?: (json: string) => string;
  headers: OutgoingHttpHeaders;
  observe?: JsonObserver;
};

/**
 * Answers one POST that carried `count` requests: either one JSON body (an array for a
 * batch) once all responses are in, or an SSE stream with every related message as it
 * comes, ended after the last response. Messages that cannot go in a JSON body
 * (notifications, server requests) are handed to `spill` (the session's GET stream).
 * In `auto` mode (one request, client takes both) the first frame decides: the response
 * itself → JSON (nothing streamed; PROTOCOL.md "POST /mcp"), anything else → SSE.
 */
export class PostResponder implements Responder {
  private remaining: number;
  private readonly bodies: string[] = [];
  private done = false;
  /** A stateless answer's HTTP status when it goes as one JSON body. */
  private status = 200;

  constructor(
    private readonly res: ServerResponse,
    count: number,
    private out: JsonOut | SseOut | AutoOut,
  ) {
    this.remaining = count;
  }

  /** The SSE stream in use; a resuming GET can take it over. */
  adopt(writer: SseWriter): void {
    if (this.out.mode !== 'json') this.out = { mode: 'sse', writer, ...this.storeOf(this.out) };
  }

  get finished(): boolean {
    return this.done;
  }

  deliver(json: string, completes: boolean): void {
    if (this.done) return;
    if (this.out.mode === 'auto') {
      const auto = this.out;
      if (completes && this.remaining === 1 && !auto.writer.headersWritten) {
        // The response came first and the stream never started: one JSON body.
        this.done = true;
        auto.writer.release();
        this.sendJson(json, auto.headers, auto.observe);
        return;
      }
      this.out = { mode: 'sse', writer: auto.writer, ...this.storeOf(auto) };
    }
    const out = this.out;
    if (out.mode === 'json') {
      if (!completes) {
        out.spill(json);
        return;
      }
      this.bodies.push(json);
    } else {
      const eventId = out.store?.(json);
      // The last response ends the stream in the same write.
      if (completes && this.remaining === 1) out.writer.last(json, eventId);
      else out.writer.message(json, eventId);
    }
    if (completes && --this.remaining === 0) this.finish();
  }

  abandon(): void {
    this.finish();
  }

  /** One of its requests was cancelled: it gets no response, so stop waiting for one. */
  cancelled(): void {
    if (this.done) return;
    if (--this.remaining === 0) this.finish();
  }

  /** Ends the answer with what it has. */
  finish(): void {
    if (this.done) return;
    this.done = true;
    const out = this.out;
    if (out.mode !== 'json') {
      out.writer.end();
      return;
    }
    const body = out.batch ? `[${this.bodies.join(',')}]` : (this.bodies[0] ?? '');
    if (body === '') {
      if (!this.res.headersSent && !this.res.destroyed) this.res.writeHead(202, out.headers).end();
      return;
    }
    this.sendJson(body, out.headers, out.observe);
  }

  /** One JSON body, headers and all in one write; the tap sees exactly what was sent. */
  private sendJson(body: string, headers: OutgoingHttpHeaders, observe: JsonObserver | undefined): void {
    if (this.res.headersSent || this.res.destroyed) return;
    this.res.writeHead(this.status, {
      ...headers,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
    });
    this.res.end(body);
    observe?.(body);
  }

  private storeOf(out: SseOut | AutoOut): { store?: (json: string) => string } {
    return out.store ? { store: out.store } : {};
  }

  /** Adapts this responder to a stateless call (one request; ends when the engine says so). */
  asCallSink(): CallSink {
    return {
      deliver: (msg: JsonRpcMessage, raw: string) => {
        const code = 'error' in msg ? msg.error?.code : undefined;
        if (code !== undefined && MODERN_BAD_REQUEST.has(code)) this.status = 400;
        this.deliver(raw === '' ? JSON.stringify(msg) : raw, !('method' in msg) && this.out.mode !== 'sse');
      },
      end: () => this.finish(),
    };
  }
}
