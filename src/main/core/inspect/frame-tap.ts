import { randomBytes } from 'node:crypto';
import type { JsonRpcMessage } from '../jsonrpc/message';
import type { Frame, FrameKind, FrameTransport, Leg } from './frame';
import { frameMessageText } from '@shared/frames';
import { Redactor } from './redactor';

export interface FrameTapLimits {
  maxFrames: number;
  /** Total raw characters kept; the oldest frames go first. */
  maxChars: number;
  /** Frames waiting for one subscriber before the oldest are skipped. */
  maxPendingPerSubscriber: number;
}

export const DEFAULT_TAP_LIMITS: FrameTapLimits = {
  maxFrames: 20_000,
  maxChars: 64 * 1024 * 1024,
  maxPendingPerSubscriber: 5000,
};

/** What recording costs on the hot path: one small object with references to text in hand. */
interface Captured {
  seq: number;
  ts: number;
  sessionId: string | undefined;
  leg: Leg;
  transport: FrameTransport;
  raw: string;
  /** The parsed message when the path had it anyway; else parsed lazily. */
  msg: JsonRpcMessage | undefined;
  hint: FrameKind | undefined;
  /** Patchbay's own frame (RecordOptions.own). */
  own: boolean;
  frame?: Frame;
}

/** How a frame is recorded, beyond what it is. */
export interface RecordOptions {
  /**
   * Patchbay's own traffic (the start-up probe, a revival's replayed initialize): the frame
   * gets `by: 'patchbay'`, and so does the answer to an own request when it is worked out.
   */
  own?: boolean;
}

/** A batch for a subscriber: frames in order, and how many it missed by being slow. */
export interface FrameBatch {
  frames: Frame[];
  skipped: number;
}

interface Subscriber {
  listener: (batch: FrameBatch) => void;
  pending: Captured[];
  /** Index of the oldest pending frame still to deliver (older ones were skipped). */
  start: number;
  skipped: number;
}

/**
 * The frame tap of one server: every leg records here into a bounded ring. Recording
 * only keeps references; kind, method, id, byte size, redaction and request/response
 * latency are worked out later, in order, when someone reads (a subscriber's batch or a
 * query). Subscribers get batches on a later tick, each with its own bounded queue, so a
 * slow one never blocks the proxy.
 */
export class FrameTap {
  readonly redactor = new Redactor();
  /** Slots before `head` are released (undefined) as frames are evicted. */
  private ring: (Captured | undefined)[] = [];
  private head = 0;
  private chars = 0;
  private nextSeq = 1;
  /** Names this tap's numbering (a new tap numbers from 1 again). */
  readonly run = randomBytes(6).toString('hex');
  private derivedUpTo = 0; // seq of the last frame given its details
  private readonly openRequests = new Map<string, number>();
  /** Pair keys of open requests that are Patchbay's own, so their answers are marked too. */
  private readonly ownRequests = new Set<string>();
  private readonly subscribers = new Set<Subscriber>();
  private flushScheduled = false;
  private readonly limits: FrameTapLimits;
  enabled = true;

  constructor(
    readonly serverId: string,
    limits: Partial<FrameTapLimits> = {},
  ) {
    this.limits = { ...DEFAULT_TAP_LIMITS, ...limits };
  }

  /** Records one frame. `msg` when the caller parsed it already; `hint` for non-messages. */
  record(
    leg: Leg,
    transport: FrameTransport,
    sessionId: string | undefined,
    raw: string,
    msg?: JsonRpcMessage,
    hint?: FrameKind,
    opts?: RecordOptions,
  ): void {
    if (!this.enabled) return;
    // The parsed message is kept only when a subscriber will work the frame out on the next
    // tick; held in the ring, its object graph would survive young GCs and get promoted
    // (measured: the tap's main memory and GC cost). Otherwise it is parsed again if read.
    const kept = this.subscribers.size > 0 ? msg : undefined;
    const c: Captured = {
      seq: this.nextSeq++,
      ts: Date.now(),
      sessionId,
      leg,
      transport,
      raw,
      msg: kept,
      hint,
      own: opts?.own === true,
    };
    this.ring.push(c);
    this.chars += raw.length;
    while (
      this.ring.length - this.head > this.limits.maxFrames ||
      (this.chars > this.limits.maxChars && this.ring.length - this.head > 1)
    ) {
      // Evicted unread frames are never worked out: no parsing on the proxy's path when
      // nobody is looking (their responses just get no latency).
      this.chars -= this.ring[this.head]!.raw.length;
      // Release the slot now: until the next compaction the array kept up to maxFrames
      // evicted frames alive, twice the bound (seen as heap growth under session churn).
      this.ring[this.head] = undefined;
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.ring.length) {
      this.ring = this.ring.slice(this.head);
      this.head = 0;
    }
    if (this.subscribers.size === 0) return;
    const max = this.limits.maxPendingPerSubscriber;
    for (const s of this.subscribers) {
      s.pending.push(c);
      if (s.pending.length - s.start > max) {
        // Drop the oldest by moving a start index: shift() is O(n) per frame.
        s.start++;
        s.skipped++;
        if (s.start > 1024 && s.start * 2 > s.pending.length) {
          s.pending = s.pending.slice(s.start);
          s.start = 0;
        }
      }
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Hears every note (the runtime copies them into the server's log as Patchbay lines). */
  onNote: ((sessionId: string | undefined, text: string) => void) | undefined;

  /**
   * Records an event of Patchbay's own ("process reclaimed", "session revived") as a
   * `note` frame by 'patchbay'. Notes sit on the proxy→server leg over stdio: every such
   * event concerns the server's process, so they line up with the frames they explain.
   */
  note(sessionId: string | undefined, text: string): void {
    this.record('proxy→server', 'stdio', sessionId, text, undefined, 'note', { own: true });
    this.onNote?.(sessionId, text);
  }

  /** Frames kept now with seq > `afterSeq`, oldest first, fully worked out. */
  since(afterSeq = 0, limit = Infinity): Frame[] {
    const out: Frame[] = [];
    for (let i = this.head; i < this.ring.length && out.length < limit; i++) {
      const c = this.ring[i]!;
      if (c.seq > afterSeq) out.push(this.derive(c));
    }
    return out;
  }

  get size(): number {
    return this.ring.length - this.head;
  }

  /** Live frames in batches; returns the unsubscribe function. */
  subscribe(listener: (batch: FrameBatch) => void): () => void {
    const s: Subscriber = { listener, pending: [], start: 0, skipped: 0 };
    this.subscribers.add(s);
    return () => this.subscribers.delete(s);
  }

  clear(): void {
    for (let i = this.head; i < this.ring.length; i++) this.derive(this.ring[i]!);
    this.ring = [];
    this.head = 0;
    this.chars = 0;
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const s of this.subscribers) {
      if (s.pending.length === s.start && s.skipped === 0) continue;
      const frames: Frame[] = [];
      for (let i = s.start; i < s.pending.length; i++) frames.push(this.derive(s.pending[i]!));
      const batch: FrameBatch = { frames, skipped: s.skipped };
      s.pending = [];
      s.start = 0;
      s.skipped = 0;
      try {
        s.listener(batch);
      } catch {
        // A failing subscriber must not take the others (or the proxy) down.
      }
    }
  }

  /** Works out a frame's details once, in seq order (latency pairing depends on order). */
  private derive(target: Captured): Frame {
    if (target.frame) return target.frame;
    const first = this.ring[this.head];
    if (first !== undefined) {
      // The ring holds consecutive seqs, so a seq maps straight to its index.
      for (let seq = Math.max(this.derivedUpTo + 1, first.seq); seq <= target.seq; seq++) {
        const c = this.ring[this.head + (seq - first.seq)];
        if (c && !c.frame) this.details(c);
      }
    }
    if (!target.frame) this.details(target);
    return target.frame!;
  }

  private details(c: Captured): void {
    this.derivedUpTo = Math.max(this.derivedUpTo, c.seq);
    const raw = this.redactor.active ? this.redactor.redact(c.raw) : c.raw;
    const frame: Frame = {
      seq: c.seq,
      ts: c.ts,
      serverId: this.serverId,
      leg: c.leg,
      transport: c.transport,
      kind: c.hint ?? 'noise',
      bytes: Buffer.byteLength(raw),
      raw,
    };
    if (c.sessionId !== undefined) frame.sessionId = c.sessionId;
    if (c.own) frame.by = 'patchbay';
    const msg = c.msg ?? (c.hint === undefined ? parseMessage(c.raw) : undefined);
    if (msg) this.describe(frame, msg, c);
    c.frame = frame;
    c.msg = undefined;
  }

  private describe(frame: Frame, msg: JsonRpcMessage, c: Captured): void {
    const m = msg as { id?: string | number | null; method?: string; error?: unknown };
    if (m.method !== undefined) frame.method = m.method;
    if (m.id !== undefined && m.id !== null) frame.rpcId = m.id;
    if (m.method !== undefined) {
      frame.kind = m.id === undefined ? 'notification' : 'request';
      if (m.id !== undefined && m.id !== null) {
        const key = pairKey(c.leg, c.sessionId, m.id, true);
        this.openRequests.set(key, c.ts);
        if (c.own) this.ownRequests.add(key);
      }
    } else {
      frame.kind = m.error !== undefined ? 'error' : 'response';
      if (m.id !== undefined && m.id !== null) {
        const key = pairKey(c.leg, c.sessionId, m.id, false);
        const started = this.openRequests.get(key);
        if (started !== undefined) {
          frame.latencyMs = c.ts - started;
          this.openRequests.delete(key);
        }
        // The answer to Patchbay's own request is Patchbay's too (only checked while one is open).
        if (this.ownRequests.size > 0 && this.ownRequests.delete(key)) frame.by = 'patchbay';
      }
    }
    if (this.openRequests.size > 100_000) this.openRequests.clear(); // never-answered requests
    if (this.ownRequests.size > 1000) this.ownRequests.clear();
  }
}

/** Pairs a request on one leg with its response on the mirror leg (client→proxy ↔ proxy→client). */
function pairKey(leg: Leg, session: string | undefined, id: string | number, request: boolean): string {
  const http = request ? leg === 'client→proxy' : leg === 'proxy→client';
  const down = request ? leg === 'proxy→server' : leg === 'server→proxy';
  const side = http ? 'h' : down ? 's' : 'r'; // r: a server→client request and its answer
  return `${side}|${session ?? ''}|${typeof id}|${id}`;
}

/** The JSON-RPC message inside raw text (an SSE frame's data lines, or a plain body). */
function parseMessage(raw: string): JsonRpcMessage | undefined {
  try {
    const v = JSON.parse(frameMessageText(raw)) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonRpcMessage) : undefined;
  } catch {
    return undefined;
  }
}
