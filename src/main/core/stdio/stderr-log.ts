import { randomBytes } from 'node:crypto';
import type { StderrEntry } from '@shared/status';

export type { StderrEntry };

export interface StderrLogLimits {
  maxEntries: number;
  maxBytes: number;
  /** Longer lines are cut, with a marker, so one line cannot take the whole budget. */
  maxLineChars: number;
}

const DEFAULT_LIMITS: StderrLogLimits = {
  maxEntries: 5000,
  maxBytes: 2 * 1024 * 1024,
  maxLineChars: 16 * 1024,
};

/** A bounded per-server log of stderr lines with timestamps and live subscribers. */
export class StderrLog {
  /** Slots before `head` are released (undefined) as lines are evicted. */
  private entries: (StderrEntry | undefined)[] = [];
  private head = 0; // index of the oldest live entry in `entries`
  private bytes = 0;
  private nextSeq = 1;
  /** Names this log's numbering (a new log numbers from 1 again). */
  readonly run = randomBytes(6).toString('hex');
  private readonly listeners = new Set<(entry: StderrEntry) => void>();
  readonly limits: StderrLogLimits;
  /** Hides secrets a server prints (its env values marked secret, the token). */
  redact: ((text: string) => string) | undefined;

  constructor(limits: Partial<StderrLogLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Appends a lifecycle line of Patchbay's own (spawn, exit, restart…), kept apart from the server's stderr. */
  note(text: string, pid = 0): StderrEntry {
    return this.append(pid, text, Date.now(), true);
  }

  /** Appends a line (already split) and tells subscribers. */
  append(pid: number, raw: string, ts = Date.now(), own = false): StderrEntry {
    const line = this.redact ? this.redact(raw) : raw;
    const text =
      line.length > this.limits.maxLineChars
        ? `${line.slice(0, this.limits.maxLineChars)}… [${line.length - this.limits.maxLineChars} more chars]`
        : line;
    const entry: StderrEntry = { seq: this.nextSeq++, ts, pid, text };
    if (own) entry.by = 'patchbay';
    this.entries.push(entry);
    this.bytes += text.length;
    while (this.size > this.limits.maxEntries || (this.bytes > this.limits.maxBytes && this.size > 1)) {
      this.bytes -= this.entries[this.head]!.text.length;
      // Released now, not at the next compaction: that kept up to twice the bound alive.
      this.entries[this.head] = undefined;
      this.head++;
    }
    // Compact now and then instead of shifting on every eviction.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  /** Entries with seq > `afterSeq` (all by default), oldest first. */
  since(afterSeq = 0): StderrEntry[] {
    // Everything from `head` on is set (only evicted slots are released).
    const live = this.entries.slice(this.head) as StderrEntry[];
    return afterSeq <= 0 ? live : live.filter((e) => e.seq > afterSeq);
  }

  /** The last `n` lines' text the server wrote (Patchbay's own lines left out), for crash reasons. */
  tail(n: number, pid?: number): string[] {
    const out: string[] = [];
    for (let i = this.entries.length - 1; i >= this.head && out.length < n; i--) {
      const e = this.entries[i]!;
      if ((pid === undefined || e.pid === pid) && e.by === undefined) out.push(e.text);
    }
    return out.reverse();
  }

  /** Subscribes to new lines; returns the unsubscribe function. */
  subscribe(listener: (entry: StderrEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.bytes = 0;
  }
}

/** Splits a stderr byte stream into text lines; a line with no newline is cut at `maxPending` chars. */
export class StderrSplitter {
  private pending = '';
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxPending = 64 * 1024,
  ) {}

  push(chunk: Buffer): void {
    const text = this.pending + this.decoder.decode(chunk, { stream: true });
    const parts = text.split(/\r?\n/);
    this.pending = parts.pop() ?? '';
    for (const line of parts) if (line.length > 0) this.onLine(line);
    if (this.pending.length > this.maxPending) {
      this.onLine(this.pending);
      this.pending = '';
    }
  }

  end(): void {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    if (rest.length > 0) this.onLine(rest);
  }
}
