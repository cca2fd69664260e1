import type { StderrEntry } from '@shared/status';
import { describe, expect, it } from 'vitest';
import {
  appendLines,
  clockTime,
  type HeldLines,
  highlightParts,
  linesAsText,
  matchesSearch,
  unseenEntries,
} from './log-lines';

const entry = (seq: number, text = `line ${seq}`, pid = 100, ts = 1000 + seq): StderrEntry => ({
  seq,
  ts,
  pid,
  text,
});
const empty: HeldLines = { lines: [], trimmed: 0, nextKey: 1 };

describe('appendLines', () => {
  it('keeps order, gives each line its own key and a level', () => {
    const held = appendLines(empty, [entry(1, 'ERROR boom'), entry(2)]);
    expect(held.lines.map((l) => [l.key, l.seq, l.level])).toEqual([
      [1, 1, 'error'],
      [2, 2, undefined],
    ]);
    expect(held.nextKey).toBe(3);
  });

  it('drops the oldest lines past the cap and counts them', () => {
    let held = empty;
    for (let i = 1; i <= 25; i++) held = appendLines(held, [entry(i)], 10);
    expect(held.lines).toHaveLength(10);
    expect(held.lines[0]!.seq).toBe(16);
    expect(held.trimmed).toBe(15);
    held = appendLines(
      held,
      Array.from({ length: 30 }, (_, i) => entry(26 + i)),
      10,
    );
    expect(held.lines.map((l) => l.seq)).toEqual([46, 47, 48, 49, 50, 51, 52, 53, 54, 55]);
    expect(held.trimmed).toBe(45);
  });
});

describe('unseenEntries', () => {
  it('drops entries already held and keeps a restarted log whose seq starts again', () => {
    const held = appendLines(empty, [entry(1), entry(2)]).lines;
    expect(unseenEntries(held, [entry(1), entry(2), entry(3)]).map((e) => e.seq)).toEqual([3]);
    const restarted = [entry(1, 'again', 200, 5000), entry(2, 'again', 200, 5001)];
    expect(unseenEntries(held, restarted)).toEqual(restarted);
  });
});

describe('search', () => {
  it('matches case-insensitively; empty matches all', () => {
    expect(matchesSearch('Hello World', 'world')).toBe(true);
    expect(matchesSearch('Hello', 'bye')).toBe(false);
    expect(matchesSearch('anything', '')).toBe(true);
  });

  it('cuts the text around every match', () => {
    expect(highlightParts('abcABCx', 'bc')).toEqual([
      { text: 'a', match: false },
      { text: 'bc', match: true },
      { text: 'A', match: false },
      { text: 'BC', match: true },
      { text: 'x', match: false },
    ]);
    expect(highlightParts('aaaa', 'aa')).toEqual([
      { text: 'aa', match: true },
      { text: 'aa', match: true },
    ]);
    expect(highlightParts('none', '')).toEqual([{ text: 'none', match: false }]);
  });
});

describe('clockTime and linesAsText', () => {
  it('prints local time with milliseconds', () => {
    const ts = new Date(2024, 0, 2, 3, 4, 5, 6).getTime();
    expect(clockTime(ts)).toBe('03:04:05.006');
    const lines = appendLines(empty, [entry(1, 'a', 1, ts), entry(2, 'b', 1, ts + 1000)]).lines;
    expect(linesAsText(lines)).toBe('03:04:05.006 a\n03:04:06.006 b');
  });
});
