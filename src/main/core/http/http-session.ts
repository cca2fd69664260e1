import { type JsonRpcId, type JsonRpcMessage, idKey } from '../jsonrpc/message';
import type { EngineSession, SessionEnd, SessionSink } from '../routing/session';
import { EventStore, type EventStoreLimits } from './event-store';
import type { PostResponder } from './post-responder';
import type { SseWriter } from './sse-writer';

/** Where the messages tied to one client request go: a POST's JSON body or SSE stream. */
export interface Responder {
  /** A message for this request; `completes` is set when it is the request's response. */
  deliver(json: string, completes: boolean): void;
  /** The session ended before the response came (the engine already answered with an error). */
  abandon(): void;
  /** The client cancelled the request: no response will come for it. */
  cancelled(): void;
}

export interface HttpSessionLimits {
  events: EventStoreLimits;
  /** Messages kept for a GET stream that is not open yet. */
  maxQueued: number;
}

/**
 * The HTTP side of one session: routes what the engine delivers to the POST stream of the
 * request it belongs to, else to the GET stream (or a bounded queue until it opens), and
 * keeps the event store that makes streams resumable.
 */
export class HttpSession implements SessionSink {
  engine!: EngineSession;
  readonly events: EventStore;
  ended: SessionEnd | undefined;
  /** Legacy HTTP+SSE (2024-11-05): one stream carries everything. */
  legacyStream: SseWriter | undefined;
  private readonly responders = new Map<string | number, Responder>();
  /** POST SSE streams by stream id, so a GET with Last-Event-ID can take one over. */
  private readonly streams = new Map<string, PostResponder>();
  private getStream: SseWriter | undefined;
  private queue: string[] = [];
  private nextStream = 1;

  constructor(
    private readonly limits: HttpSessionLimits,
    private readonly onEnded: (session: HttpSession) => void,
  ) {
    this.events = new EventStore(limits.events);
  }

  get id(): string {
    return this.engine.id;
  }

  /** The revision negotiated at initialize (2025-03-26 when unknown, as the spec says). */
  get protocolVersion(): string {
    return this.engine.client.protocolVersion ?? '2025-03-26';
  }

  /** True while the client holds a stream open here (GET, legacy SSE, or an unfinished POST stream). */
  hasOpenStream(): boolean {
    if (this.legacyStream?.isOpen || this.getStream?.isOpen) return true;
    for (const r of this.streams.values()) if (!r.finished) return true;
    return false;
  }

  /** A fresh stream id for a POST response stream. */
  newStreamId(): string {
    return `p${this.nextStream++}`;
  }

  /** Registers where request `id`'s messages go until its response. */
  expect(id: JsonRpcId, responder: Responder): void {
    this.responders.set(idKey(id), responder);
  }

  /** Stops routing to a responder whose request was answered or given up. */
  forget(id: JsonRpcId): void {
    this.responders.delete(idKey(id));
  }

  /** True while request `id` of this session waits for its response (ids must not be reused then). */
  isExpecting(id: JsonRpcId): boolean {
    return this.responders.has(idKey(id));
  }

  /**
   * The client sent notifications/cancelled for `id`. The server sends no response to a
   * cancelled request, so without this its POST stream (and responder) stayed open until
   * the session ended: a leak per cancelled call of a client that keeps the stream open.
   */
  cancelled(id: JsonRpcId): void {
    const key = idKey(id);
    const responder = this.responders.get(key);
    if (!responder) return;
    this.responders.delete(key);
    responder.cancelled();
  }

  deliver(msg: JsonRpcMessage, raw: string, related: JsonRpcId | undefined): void {
    const json = raw === '' ? JSON.stringify(msg) : raw;
    if (this.legacyStream) {
      this.legacyStream.message(json);
      return;
    }
    if (related !== undefined) {
      const key = idKey(related);
      const responder = this.responders.get(key);
      if (responder) {
        const completes = !('method' in msg) && (msg as { id: unknown }).id === related;
        if (completes) this.responders.delete(key);
        responder.deliver(json, completes);
        return;
      }
    }
    this.sendStandalone(json);
  }

  /** Remembers a POST's SSE stream for resumption (finished ones are pruned as it grows). */
  trackStream(streamId: string, responder: PostResponder): void {
    if (this.streams.size >= 64) {
      for (const [id, r] of this.streams) if (r.finished) this.streams.delete(id);
    }
    this.streams.set(streamId, responder);
  }

  /** A GET with Last-Event-ID resumes a POST stream: the rest of its messages go there. False when it is over. */
  resumeStream(streamId: string, writer: SseWriter): boolean {
    const responder = this.streams.get(streamId);
    if (!responder || responder.finished) return false;
    responder.adopt(writer);
    return true;
  }

  closed(end: SessionEnd): void {
    this.ended = end;
    const responders = [...this.responders.values()];
    this.responders.clear();
    for (const r of responders) r.abandon();
    this.getStream?.end();
    this.legacyStream?.end();
    this.onEnded(this);
  }

  /** Attaches the GET stream (replacing an older one) and flushes what waited for it. */
  attachGetStream(stream: SseWriter): void {
    if (this.getStream && this.getStream !== stream) this.getStream.end();
    this.getStream = stream;
    stream.onClose(() => {
      if (this.getStream === stream) this.getStream = undefined;
    });
    const waiting = this.queue;
    this.queue = [];
    for (const json of waiting) stream.message(json, this.events.add('g', json));
  }

  /** A message not tied to a request: the GET stream, or the bounded queue until it opens. */
  sendStandalone(json: string): void {
    const stream = this.getStream;
    if (stream?.isOpen) {
      stream.message(json, this.events.add('g', json));
      return;
    }
    this.queue.push(json);
    if (this.queue.length > this.limits.maxQueued) {
      this.queue.shift(); // bounded: the oldest message goes first
    }
  }
}
