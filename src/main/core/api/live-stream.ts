/**
 * One live stream to one UI connection: items arrive from the engine, leave coalesced at
 * most once per `intervalMs`, and never pile up: past `maxPending` the oldest are dropped
 * and counted, so the UI can show "N skipped" and a slow renderer never slows the proxy.
 */
export class LiveStream<T extends { seq: number }> {
  private pending: T[] = [];
  private skipped = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly send: (items: T[], skipped: number) => void,
    /** Items at or below this seq were in the snapshot already. */
    private floor: number,
    private readonly intervalMs = 50,
    private readonly maxPending = 5000,
  ) {}

  push(items: readonly T[], skippedUpstream = 0): void {
    if (this.closed) return;
    for (const item of items) if (item.seq > this.floor) this.pending.push(item);
    this.skipped += skippedUpstream;
    if (this.pending.length > this.maxPending) {
      const drop = this.pending.length - this.maxPending;
      this.pending.splice(0, drop);
      this.skipped += drop;
    }
    if ((this.pending.length > 0 || this.skipped > 0) && !this.timer) {
      this.timer = setTimeout(() => this.flush(), this.intervalMs);
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.pending = [];
  }

  private flush(): void {
    this.timer = undefined;
    if (this.closed) return;
    const items = this.pending;
    const skipped = this.skipped;
    this.pending = [];
    this.skipped = 0;
    const last = items[items.length - 1];
    if (last) this.floor = last.seq;
    this.send(items, skipped);
  }
}
