import type { StderrEntry } from '@shared/status';
import { detectLevel, type LogLevel } from './log-level';

/** One stderr line as the view holds it; `key` is the view's own (seq restarts with each start). */
export interface LogLine extends StderrEntry {
  key: number;
  level: LogLevel | undefined;
}

/** Lines kept in the view: the engine keeps at most 5,000 per server too. */
export const MAX_VIEW_LINES = 5000;

export interface HeldLines {
  lines: LogLine[];
  /** Lines dropped from the front of the view to stay under the cap. */
  trimmed: number;
  nextKey: number;
}

/** Appends entries, dropping the oldest past `cap`; the caller has already removed duplicates. */
export function appendLines(
  held: HeldLines,
  entries: readonly StderrEntry[],
  cap = MAX_VIEW_LINES,
): HeldLines {
  if (entries.length === 0) return held;
  let nextKey = held.nextKey;
  const added = entries.map((e) => ({ ...e, key: nextKey++, level: detectLevel(e.text) }));
  let lines = held.lines.concat(added);
  let trimmed = held.trimmed;
  if (lines.length > cap) {
    trimmed += lines.length - cap;
    lines = lines.slice(lines.length - cap);
  }
  return { lines, trimmed, nextKey };
}

const identity = (e: StderrEntry) => `${e.pid}:${e.seq}:${e.ts}`;

/**
 * Entries of a snapshot not already held. After a restart the engine's seq starts again at 1,
 * so a seq alone cannot tell old from new; pid and timestamp can.
 */
export function unseenEntries(held: readonly LogLine[], entries: readonly StderrEntry[]): StderrEntry[] {
  if (held.length === 0) return [...entries];
  const known = new Set(held.map(identity));
  return entries.filter((e) => !known.has(identity(e)));
}

/** Case-insensitive substring search; an empty query matches every line. */
export function matchesSearch(text: string, query: string): boolean {
  return query === '' || text.toLowerCase().includes(query.toLowerCase());
}

/** The text cut around each match of `query`, for highlighting. */
export function highlightParts(text: string, query: string): { text: string; match: boolean }[] {
  if (query === '') return [{ text, match: false }];
  const lower = text.toLowerCase();
  const q = query.toLowerCase();
  const parts: { text: string; match: boolean }[] = [];
  let from = 0;
  for (let at = lower.indexOf(q); at !== -1; at = lower.indexOf(q, at + q.length)) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + q.length), match: true });
    from = at + q.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return parts;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local wall-clock time with milliseconds, like the inspector's rows. */
export function clockTime(ts: number): string {
  const d = new Date(ts);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The lines as text, as Copy puts them on the clipboard. */
export function linesAsText(lines: readonly LogLine[]): string {
  return lines.map((l) => `${clockTime(l.ts)} ${l.text}`).join('\n');
}
