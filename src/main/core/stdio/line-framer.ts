const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into newline-delimited lines (stdio MCP framing). Survives
 * partial chunks and CRLF; a line longer than `maxLineBytes` is dropped whole and
 * reported, so one runaway line can neither exhaust memory nor desynchronise the stream.
 */
export class LineFramer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes of an oversize line seen so far; > 0 while skipping to its end. */
  private skipping = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: Buffer) => void,
    private readonly onOversize: (bytes: number) => void,
  ) {}

  /** Feeds one chunk; calls `onLine` for each complete line in it. */
  push(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(LF);
    while (nl !== -1) {
      this.take(chunk, start, nl);
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  /** Flushes a last line that had no newline (the stream ended). */
  end(): void {
    if (this.skipping > 0) {
      this.onOversize(this.skipping);
      this.skipping = 0;
    } else if (this.pendingBytes > 0) {
      this.emit(Buffer.concat(this.pending, this.pendingBytes));
    }
    this.pending = [];
    this.pendingBytes = 0;
  }

  private take(chunk: Buffer, start: number, end: number): void {
    if (this.skipping > 0) {
      this.onOversize(this.skipping + (end - start));
      this.skipping = 0;
      return;
    }
    if (this.pendingBytes === 0) {
      // Common case: the whole line is inside this chunk; no copy.
      if (end - start > this.maxLineBytes) this.onOversize(end - start);
      else this.emit(chunk.subarray(start, end));
      return;
    }
    const total = this.pendingBytes + (end - start);
    if (total > this.maxLineBytes) {
      this.onOversize(total);
    } else {
      this.pending.push(chunk.subarray(start, end));
      this.emit(Buffer.concat(this.pending, total));
    }
    this.pending = [];
    this.pendingBytes = 0;
  }

  private keep(rest: Buffer): void {
    if (this.skipping > 0) {
      this.skipping += rest.length;
      return;
    }
    const total = this.pendingBytes + rest.length;
    if (total > this.maxLineBytes) {
      this.skipping = total;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    // Copy: the stream may reuse the chunk's memory after this call returns.
    this.pending.push(Buffer.from(rest));
    this.pendingBytes = total;
  }

  private emit(line: Buffer): void {
    const end = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
    if (end === 0) return; // blank lines carry nothing
    this.onLine(end === line.length ? line : line.subarray(0, end));
  }
}
