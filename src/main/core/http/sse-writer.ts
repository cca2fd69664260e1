import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * Headers of every SSE response. `X-Accel-Buffering: no` stops nginx-style proxies from
 * holding frames back; `no-transform` stops compression that would buffer the stream.
 */
export const SSE_HEADERS: Readonly<OutgoingHttpHeaders> = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
};

export interface SseLimits {
  /** Bytes a client may leave unread before it is cut off (it stopped reading). */
  maxBufferedBytes: number;
}

/** Sees every byte the writer puts on the wire (the frame tap's proxy→client SSE leg). */
export type SseObserver = (text: string, kind: 'message' | 'endpoint' | 'keepalive' | 'priming') => void;

/**
 * The one SSE writer: every stream the proxy serves (POST responses, GET streams, replays,
 * legacy /sse) writes through it, so every frame has `event: message` (or `event: endpoint`)
 * and the same headers (PROTOCOL.md: some clients drop or mishandle `data:`-only frames and hang).
 * Each frame is one write (flushed at once: no Nagle, no buffering proxies).
 */
export class SseWriter {
  private closed = false;
  readonly createdAt = Date.now();
  lastWriteAt = this.createdAt;
  private readonly closeListeners: (() => void)[] = [];

  private opened = false;
  /** The priming event, written with the headers (primeAtOpen). */
  private preamble = '';

  constructor(
    private readonly res: ServerResponse,
    private readonly headers: OutgoingHttpHeaders,
    private readonly limits: SseLimits,
    private readonly observe?: SseObserver,
  ) {
    res.once('close', () => this.markClosed());
  }

  /**
   * Writes the status line and headers now (else with the first frame) and flushes them,
   * with the priming event when one is due (same write).
   */
  open(): void {
    if (this.opened || this.closed) return;
    this.begin();
    const preamble = this.takePreamble();
    if (preamble === '') this.res.flushHeaders();
    else this.res.write(preamble);
  }

  /**
   * Sends the 2025-11-25 priming event when the stream starts, in the same write as its
   * headers (and first frame): a quick answer still leaves in one write.
   */
  primeAtOpen(eventId: string, retryMs: number): void {
    if (!this.opened) this.preamble = primingFrame(eventId, retryMs);
  }

  /** The answer went out another way (one JSON body): forget the stream without writing a byte. */
  release(): void {
    if (!this.opened) this.markClosed();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** True once the status line and headers are written. */
  get headersWritten(): boolean {
    return this.opened;
  }

  /** One JSON-RPC message as an `event: message` frame; false when the stream is gone. */
  message(json: string, eventId?: string): boolean {
    const frame =
      eventId === undefined
        ? `event: message\n${dataLines(json)}\n`
        : `id: ${eventId}\nevent: message\n${dataLines(json)}\n`;
    return this.write(frame, 'message');
  }

  /**
   * The stream's final message, then its end. On a stream whose headers wait (a POST whose
   * answer came first), headers, frame and end leave in one write: one syscall, one wake-up
   * of the client instead of two.
   */
  last(json: string, eventId?: string): boolean {
    if (this.closed) return false;
    const frame =
      eventId === undefined
        ? `event: message\n${dataLines(json)}\n`
        : `id: ${eventId}\nevent: message\n${dataLines(json)}\n`;
    if (!this.opened) {
      this.begin();
      this.res.end(this.takePreamble() + frame);
    } else this.res.end(frame);
    this.observe?.(frame, 'message');
    this.markClosed();
    return true;
  }

  /** The legacy (2024-11-05) first frame: where to POST messages. */
  endpoint(url: string): boolean {
    return this.write(`event: endpoint\ndata: ${url}\n\n`, 'endpoint');
  }

  /**
   * The 2025-11-25 priming event: an id and empty data so the client can resume, and the
   * reconnect delay. Never sent to older clients: some crash on empty data.
   */
  prime(eventId: string, retryMs: number): boolean {
    return this.write(primingFrame(eventId, retryMs), 'priming');
  }

  /** A comment line that keeps intermediaries and client body timeouts from cutting an idle stream. */
  keepAlive(): boolean {
    return this.write(': keepalive\n\n', 'keepalive');
  }

  /** Ends the stream normally. */
  end(): void {
    if (this.closed) return;
    if (!this.opened) {
      this.begin();
      this.res.end(this.takePreamble());
    } else this.res.end();
    this.markClosed();
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  private write(frame: string, kind: Parameters<SseObserver>[1]): boolean {
    if (this.closed) return false;
    let chunk = frame;
    if (!this.opened) {
      // Headers, priming and the first frame in one write.
      this.begin();
      chunk = this.takePreamble() + frame;
    }
    this.res.write(chunk);
    this.lastWriteAt = Date.now();
    this.observe?.(frame, kind);
    // Bytes the client left unread before this frame: one big message is fine, a
    // client that stopped reading is not.
    if (this.res.writableLength - chunk.length > this.limits.maxBufferedBytes) {
      // The client stopped reading: cut it off instead of buffering without bound.
      this.res.destroy();
      this.markClosed();
      return false;
    }
    return true;
  }

  private begin(): void {
    this.opened = true;
    this.res.writeHead(200, { ...SSE_HEADERS, ...this.headers });
    this.res.socket?.setNoDelay(true);
  }

  /** The pending priming event (reported to the tap as it leaves), or ''. */
  private takePreamble(): string {
    const preamble = this.preamble;
    if (preamble !== '') {
      this.preamble = '';
      this.observe?.(preamble, 'priming');
    }
    return preamble;
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    const listeners = this.closeListeners.splice(0);
    for (const l of listeners) l();
  }
}

/**
 * The 2025-11-25 priming event: an id and empty data so the client can resume, and the
 * reconnect delay (`event: message` like every frame).
 */
function primingFrame(eventId: string, retryMs: number): string {
  return `id: ${eventId}\nevent: message\nretry: ${retryMs}\ndata: \n\n`;
}

/** `data:` lines for a payload; a payload with line breaks gets one `data:` line per line. */
function dataLines(payload: string): string {
  if (payload.indexOf('\n') === -1 && payload.indexOf('\r') === -1) return `data: ${payload}\n`;
  return payload
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('');
}

/**
 * One timer for all streams of an endpoint: every `intervalMs`, a stream that wrote nothing
 * for that long gets a keep-alive comment (instead of a timer per stream). Streams added
 * with `lazy` keep their headers back until their first frame, or `openWithinMs` at most,
 * so a slow call's client still sees the stream start at once. A stream added unopened with
 * `add` starts at its first frame or, silent for `intervalMs`, with its first keep-alive.
 */
export class KeepAliveTicker {
  private readonly streams = new Set<SseWriter>();
  private readonly waiting = new Set<SseWriter>();
  private timer: NodeJS.Timeout | undefined;
  private openTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly openWithinMs = 25,
  ) {}

  /** Tracks a stream whose headers are not written yet; opens it if nothing came in time. */
  addLazy(stream: SseWriter): void {
    this.add(stream);
    this.waiting.add(stream);
    stream.onClose(() => this.waiting.delete(stream));
    if (!this.openTimer) {
      this.openTimer = setInterval(() => this.openDue(), this.openWithinMs);
      this.openTimer.unref();
    }
  }

  private openDue(): void {
    const due = Date.now() - this.openWithinMs;
    for (const s of this.waiting) {
      if (s.headersWritten) this.waiting.delete(s);
      else if (s.createdAt <= due) {
        s.open();
        this.waiting.delete(s);
      }
    }
    if (this.waiting.size === 0) {
      clearInterval(this.openTimer);
      this.openTimer = undefined;
    }
  }

  add(stream: SseWriter): void {
    this.streams.add(stream);
    stream.onClose(() => this.streams.delete(stream));
    if (!this.timer && this.intervalMs > 0) {
      this.timer = setInterval(() => this.tick(), Math.max(10, this.intervalMs / 2));
      this.timer.unref();
    }
  }

  stop(): void {
    clearInterval(this.timer);
    clearInterval(this.openTimer);
    this.timer = undefined;
    this.openTimer = undefined;
  }

  private tick(): void {
    const due = Date.now() - this.intervalMs;
    for (const s of this.streams) if (s.lastWriteAt <= due) s.keepAlive();
  }
}
