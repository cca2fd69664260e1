import { memo, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { toast } from '../../ui/toast';
import { copyText } from '../servers/copy-text';
import { clockTime, highlightParts, type LogLine, linesAsText, matchesSearch } from './log-lines';
import { logs, logsStore } from './logs-store';
import './logs.css';

/** Another server's lines are not shown: one empty list, so `shown` is not recomputed every render. */
const NO_LINES: readonly LogLine[] = [];

/** The Logs tab: the server's stderr, live, searchable, following the end unless scrolled up. */
export function LogsView({ serverId, running }: { serverId: string; running: boolean }) {
  const state = useStore(logsStore);
  const [search, setSearch] = useState('');
  const query = useDeferredValue(search.trim());
  const [following, setFollowing] = useState(true);
  const listRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // `/` jumps to the search box (UI.md: keyboard first), unless the user is typing somewhere.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== '/' || e.metaKey || e.ctrlKey || e.altKey) return;
      if (t?.closest('input, textarea, select, [contenteditable="true"], dialog')) return;
      e.preventDefault();
      searchRef.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // A start or stop swaps the engine's log, so subscribe again whenever `running` flips.
  useEffect(() => {
    void logs.watch(serverId, true);
    return () => void logs.unwatch(serverId);
  }, [serverId, running]);

  const mine = state.serverId === serverId;
  const lines = mine ? state.lines : NO_LINES;
  const shown = useMemo(() => lines.filter((l) => matchesSearch(l.text, query)), [lines, query]);

  useLayoutEffect(() => {
    const el = listRef.current;
    if (following && el) el.scrollTop = el.scrollHeight;
  }, [shown, following]);

  // Scrolling up stops following; coming back to the bottom follows again.
  const onScroll = () => {
    const el = listRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 4;
    if (atBottom !== following) setFollowing(atBottom);
  };

  const copy = async () => {
    const ok = await copyText(linesAsText(shown));
    toast(
      ok ? `Copied ${count(shown.length, 'line')}` : 'Copy failed: the clipboard is not available',
      ok ? 'info' : 'error',
    );
  };
  const clear = async () => {
    const error = await logs.clear(serverId);
    if (error) toast(`Could not clear the log: ${error}`, 'error');
  };

  return (
    <div className="logs">
      <div className="logs-toolbar">
        <input
          ref={searchRef}
          type="search"
          className="logs-search"
          aria-label="Search logs"
          placeholder="Search logs"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button aria-pressed={following} onClick={() => setFollowing(!following)}>
          {following ? 'Stop following' : 'Follow'}
        </button>
        <button onClick={() => void copy()} disabled={shown.length === 0}>
          Copy lines
        </button>
        <button onClick={() => void clear()} disabled={lines.length === 0}>
          Clear log
        </button>
        <span className="spacer" />
        {mine && state.skipped > 0 && (
          <span className="logs-skipped" title="The log came faster than this window could show it">
            {count(state.skipped, 'line')} skipped
          </span>
        )}
        <span className="muted" data-testid="log-count">
          {query
            ? `${shown.length.toLocaleString()} of ${count(lines.length, 'line')}`
            : count(lines.length, 'line')}
        </span>
      </div>
      {mine && state.unavailable && <p className="error">Cannot show the log: {state.unavailable}</p>}
      <div
        ref={listRef}
        className="logs-list mono"
        role="log"
        aria-label="Server stderr"
        tabIndex={0}
        onScroll={onScroll}
      >
        {mine && state.trimmed > 0 && (
          <div className="muted logs-note">{count(state.trimmed, 'older line')} no longer kept</div>
        )}
        {shown.map((l) => (
          <LogRow key={l.key} line={l} query={query} />
        ))}
        {lines.length > 0 && (!running || state.notRunning) && (
          <p className="muted logs-note">The server is stopped: these lines are from its last run.</p>
        )}
        {shown.length === 0 && (
          <p className="muted logs-note">
            {lines.length > 0
              ? `No line matches “${query}”.`
              : !running || (mine && state.notRunning)
                ? 'Start the server to see its stderr.'
                : 'No stderr yet. Lines the server writes to stderr show here as they come.'}
          </p>
        )}
      </div>
    </div>
  );
}

const LogRow = memo(function LogRow({ line, query }: { line: LogLine; query: string }) {
  return (
    <div
      // Patchbay's own lines (spawn, exit, restart…) are set apart from what the server wrote.
      className={`log-line${line.by ? ' by-patchbay' : line.level ? ` level-${line.level}` : ''}`}
      data-seq={line.seq}
    >
      <time className="log-time" dateTime={new Date(line.ts).toISOString()}>
        {clockTime(line.ts)}
      </time>
      <span className="log-text" title={line.by ? 'Written by Patchbay, not by the server' : undefined}>
        {highlightParts(line.text, query).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : p.text))}
      </span>
    </div>
  );
});

function count(n: number, noun: string): string {
  return `${n.toLocaleString()} ${noun}${n === 1 ? '' : 's'}`;
}
