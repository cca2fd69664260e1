import { describe, expect, it } from 'vitest';
import { StderrLog, StderrSplitter } from './stderr-log';

describe('StderrLog', () => {
  it('keeps at most maxEntries, oldest evicted, seq increasing', () => {
    const log = new StderrLog({ maxEntries: 3 });
    for (let i = 1; i <= 5; i++) log.append(10, `line ${i}`, 1000 + i);
    expect(log.size).toBe(3);
    expect(log.since().map((e) => e.text)).toEqual(['line 3', 'line 4', 'line 5']);
    expect(log.since(4).map((e) => e.seq)).toEqual([5]);
    expect(log.since()[0]!.ts).toBe(1003);
  });

  it('stays within its byte budget and cuts very long lines', () => {
    const log = new StderrLog({ maxBytes: 100, maxLineChars: 40 });
    for (let i = 0; i < 50; i++) log.append(1, 'x'.repeat(30));
    expect(log.size).toBeLessThanOrEqual(4);
    const cut = log.append(1, 'y'.repeat(100));
    expect(cut.text).toMatch(/^y{40}… \[60 more chars\]$/);
  });

  it('survives long runs (compaction) and tails per pid', () => {
    const log = new StderrLog({ maxEntries: 10 });
    for (let i = 0; i < 5000; i++) log.append(i % 2, `l${i}`);
    expect(log.size).toBe(10);
    expect(log.tail(2, 1)).toEqual(['l4997', 'l4999']);
    expect(log.tail(3)).toEqual(['l4997', 'l4998', 'l4999']);
  });

  it('tells subscribers until they unsubscribe', () => {
    const log = new StderrLog();
    const seen: string[] = [];
    const off = log.subscribe((e) => seen.push(e.text));
    log.append(1, 'a');
    off();
    log.append(1, 'b');
    expect(seen).toEqual(['a']);
  });
});

describe("StderrLog's own lines", () => {
  it("marks Patchbay's lines, numbers them with the rest, and leaves them out of a crash's tail", () => {
    const log = new StderrLog();
    log.append(42, 'server says hi');
    const own = log.note('pid 42: MCP server exited with code 1', 42);
    expect(own).toMatchObject({ seq: 2, pid: 42, by: 'patchbay' });
    expect(log.since().map((e) => [e.text, e.by])).toEqual([
      ['server says hi', undefined],
      ['pid 42: MCP server exited with code 1', 'patchbay'],
    ]);
    expect(log.tail(5, 42)).toEqual(['server says hi']);
  });
});

describe('StderrSplitter', () => {
  it('splits on LF and CRLF across chunks, keeping multibyte characters whole', () => {
    const lines: string[] = [];
    const s = new StderrSplitter((l) => lines.push(l));
    const bytes = Buffer.from('héllo\r\nwörld\npartial');
    for (let i = 0; i < bytes.length; i++) s.push(bytes.subarray(i, i + 1));
    expect(lines).toEqual(['héllo', 'wörld']);
    s.end();
    expect(lines).toEqual(['héllo', 'wörld', 'partial']);
  });

  it('cuts a line that never ends', () => {
    const lines: string[] = [];
    const s = new StderrSplitter((l) => lines.push(l), 10);
    s.push(Buffer.from('x'.repeat(25)));
    expect(lines).toEqual(['x'.repeat(25)]);
  });
});
