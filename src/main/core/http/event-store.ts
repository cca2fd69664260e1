/** One stored SSE event of a session. */
export interface StoredEvent {
  streamId: string;
  seq: number;
  json: string;
}

export interface EventStoreLimits {
  maxEvents: number;
  maxBytes: number;
}

/**
 * A session's recent SSE events, so a client that lost a stream can resume it with
 * `Last-Event-ID`. Ids are `<streamId>.<seq>`: the id says which stream it belongs to,
 * so a replay never mixes in another stream's events. Bounded by count and bytes.
 */
export class EventStore {
  /** Slots before `head` are released (undefined) as events are evicted. */
  private events: (StoredEvent | undefined)[] = [];
  private head = 0;
  private bytes = 0;
  private seq = 0;

  constructor(private readonly limits: EventStoreLimits) {}

  /** Stores an event and returns its id. */
  add(streamId: string, json: string): string {
    const event: StoredEvent = { streamId, seq: ++this.seq, json };
    this.events.push(event);
    this.bytes += json.length;
    while (
      this.events.length - this.head > this.limits.maxEvents ||
      (this.bytes > this.limits.maxBytes && this.events.length - this.head > 1)
    ) {
      this.bytes -= this.events[this.head]!.json.length;
      // Released now, not at the next compaction: that kept up to twice the bound alive.
      this.events[this.head] = undefined;
      this.head++;
    }
    if (this.head > 256 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
    return `${streamId}.${event.seq}`;
  }

  /** An id for "everything on `streamId` so far" without storing an event (the priming event). */
  mark(streamId: string): string {
    return `${streamId}.${this.seq}`;
  }

  /** Events of the stream `lastEventId` names that came after it; undefined for an id we never issued. */
  after(lastEventId: string): { streamId: string; events: StoredEvent[] } | undefined {
    const parsed = parseEventId(lastEventId);
    if (parsed === undefined || parsed.seq > this.seq) return undefined;
    const events: StoredEvent[] = [];
    for (let i = this.head; i < this.events.length; i++) {
      const e = this.events[i]!;
      if (e.seq > parsed.seq && e.streamId === parsed.streamId) events.push(e);
    }
    return { streamId: parsed.streamId, events };
  }

  get size(): number {
    return this.events.length - this.head;
  }
}

/** Splits `<streamId>.<seq>`; undefined when malformed. */
export function parseEventId(id: string): { streamId: string; seq: number } | undefined {
  const dot = id.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const seq = Number(id.slice(dot + 1));
  if (!Number.isSafeInteger(seq) || seq < 0) return undefined;
  return { streamId: id.slice(0, dot), seq };
}
