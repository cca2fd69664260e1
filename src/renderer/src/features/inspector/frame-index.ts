import type { Frame } from '@shared/frames';
import type { FramePredicate } from './frame-filter';
import { RequestMethods } from './request-methods';

/** Frames the inspector holds per server; the oldest go first (about 100 MB of heap at most). */
export const DEFAULT_FRAME_CAP = 100_000;
const MAX_SESSIONS = 200;
const MAX_INTERNED = 2_000;

/**
 * The inspector's frames: a list in seq order + a seq→position map + the filtered view
 * (positions of the frames that pass the filter). Appending tests only the new frames;
 * a filter change rebuilds the view once. Positions are absolute (they never shift), so
 * dropping the oldest frames only trims the front of the list and of the view.
 */
export class FrameIndex {
  private items: Frame[] = [];
  /** Absolute position of items[0]. */
  private base = 0;
  private readonly positionBySeq = new Map<number, number>();
  private view: number[] = [];
  private predicate: FramePredicate = () => true;
  private readonly seenSessions = new Set<string>();
  private readonly interned = new Map<string, string>();
  /** Which request each answer and progress frame belongs to (for `method:` and the Method column). */
  private readonly methods = new RequestMethods();
  /** Highest seq ever appended: later frames must be above it (no duplicate across snapshot + live). */
  lastSeq = 0;
  /** Frames dropped to stay under the cap, since the last reset. */
  dropped = 0;
  /** Bumps on every change; the UI re-renders on it. */
  version = 0;
  /**
   * While the list is paused the cap doubles, so the rows on screen stay put for another
   * cap's worth of frames (UI.md: pause keeps the view still); resuming trims back.
   */
  private holding = false;

  constructor(readonly cap = DEFAULT_FRAME_CAP) {}

  get size(): number {
    return this.items.length;
  }

  get viewLength(): number {
    return this.view.length;
  }

  /** Appends frames newer than `lastSeq`, in order; returns how many were new. */
  append(frames: readonly Frame[]): number {
    let added = 0;
    for (const f of frames) {
      if (f.seq <= this.lastSeq) continue;
      this.lastSeq = f.seq;
      this.intern(f);
      this.methods.note(f);
      const pos = this.base + this.items.length;
      this.items.push(f);
      this.positionBySeq.set(f.seq, pos);
      if (this.predicate(f)) this.view.push(pos);
      added++;
    }
    const limit = this.holding ? this.cap * 2 : this.cap;
    if (this.items.length > limit) this.dropOldest(this.items.length - limit);
    if (added > 0) this.version++;
    return added;
  }

  /** Pausing holds up to twice the cap; resuming drops back to the cap, oldest first. */
  hold(paused: boolean): void {
    this.holding = paused;
    if (!paused && this.items.length > this.cap) {
      this.dropOldest(this.items.length - this.cap);
      this.version++;
    }
  }

  /** Rebuilds the view with a new filter: one pass over what is held. */
  setFilter(predicate: FramePredicate): void {
    this.predicate = predicate;
    const view: number[] = [];
    for (let i = 0; i < this.items.length; i++) if (predicate(this.items[i]!)) view.push(this.base + i);
    this.view = view;
    this.version++;
  }

  /** Forgets the frames but not `lastSeq`: the engine keeps numbering after a clear. */
  clear(): void {
    this.base += this.items.length;
    this.items = [];
    this.view = [];
    this.positionBySeq.clear();
    this.seenSessions.clear();
    this.version++;
  }

  /** A fresh start (another server, or a new run that numbers from 1 again). */
  reset(): void {
    this.clear();
    this.interned.clear();
    this.methods.clear();
    this.lastSeq = 0;
    this.dropped = 0;
  }

  /** The i-th frame of the filtered view. */
  viewAt(i: number): Frame | undefined {
    const pos = this.view[i];
    return pos === undefined ? undefined : this.items[pos - this.base];
  }

  bySeq(seq: number): Frame | undefined {
    const pos = this.positionBySeq.get(seq);
    return pos === undefined ? undefined : this.items[pos - this.base];
  }

  /** The view index of the first frame with seq ≥ `seq` (viewLength when none). */
  viewIndexOfSeq(seq: number): number {
    let lo = 0;
    let hi = this.view.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[this.view[mid]! - this.base]!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** How many frames of the view have seq ≤ `seq` (what a paused list shows). */
  viewCountUpTo(seq: number): number {
    return this.viewIndexOfSeq(seq + 1);
  }

  /** The filtered frames, oldest first (for export). */
  *viewFrames(): Generator<Frame> {
    for (const pos of this.view) yield this.items[pos - this.base]!;
  }

  /**
   * Visits held frames from `seq` outwards in one direction until `visit` returns true or
   * `limit` frames were seen; for pairing a request with its response nearby.
   */
  walk(seq: number, direction: 1 | -1, limit: number, visit: (f: Frame) => boolean): Frame | undefined {
    const pos = this.positionBySeq.get(seq);
    if (pos === undefined) return undefined;
    for (
      let i = pos - this.base + direction, n = 0;
      i >= 0 && i < this.items.length && n < limit;
      i += direction, n++
    ) {
      const f = this.items[i]!;
      if (visit(f)) return f;
    }
    return undefined;
  }

  /** Session ids seen in the held frames, most recent last (for the quick select). */
  sessions(): string[] {
    return [...this.seenSessions];
  }

  private dropOldest(n: number): void {
    for (let i = 0; i < n; i++) this.positionBySeq.delete(this.items[i]!.seq);
    this.items.splice(0, n);
    this.base += n;
    this.dropped += n;
    let k = 0;
    while (k < this.view.length && this.view[k]! < this.base) k++;
    if (k > 0) this.view.splice(0, k);
  }

  /**
   * Each frame arrives as fresh JSON: its server id, session id and method would be new
   * copies of the same few strings 100,000 times over. Keep one of each.
   */
  private intern(f: Frame): void {
    f.serverId = this.one(f.serverId);
    f.leg = this.one(f.leg) as Frame['leg'];
    f.kind = this.one(f.kind) as Frame['kind'];
    if (f.method !== undefined) f.method = this.one(f.method);
    if (f.sessionId !== undefined) {
      f.sessionId = this.one(f.sessionId);
      if (!this.seenSessions.has(f.sessionId)) {
        this.seenSessions.add(f.sessionId);
        if (this.seenSessions.size > MAX_SESSIONS) {
          this.seenSessions.delete(this.seenSessions.values().next().value!);
        }
      }
    }
  }

  private one(s: string): string {
    const held = this.interned.get(s);
    if (held !== undefined) return held;
    // Bounded: a server inventing method names must not grow this forever.
    if (this.interned.size < MAX_INTERNED) this.interned.set(s, s);
    return s;
  }
}
