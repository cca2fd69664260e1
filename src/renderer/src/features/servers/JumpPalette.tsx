import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { Dialog } from '../../ui/Dialog';
import { closeDialog, dialogsStore, openJump } from './dialogs-store';
import { filterByName, moveIndex } from './jump-filter';
import { serversStore, selectServer } from './servers-store';
import { shownStatus } from './status-text';
import './servers.css';

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

/** ⌘/Ctrl-K anywhere: jump to a server by name (↑/↓ to pick, Enter to go, Esc to close). */
export function JumpPalette() {
  const open = useStore(dialogsStore, (s) => s.open.kind === 'jump');
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      // ⌘K on macOS (Ctrl-K there is a text field's "delete to end of line"), Ctrl-K elsewhere.
      const chord = isMac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
      if (e.key.toLowerCase() !== 'k' || e.altKey || e.shiftKey || !chord) return;
      // Never over another open dialog: it would close it and lose what was typed there.
      // (The palette's own dialog may still be closing: it does not count.)
      if (document.querySelector('dialog[open]:not(.jump-dialog)')) return;
      e.preventDefault();
      openJump();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <>
      <button className="jump-button" aria-keyshortcuts={isMac ? 'Meta+K' : 'Control+K'} onClick={openJump}>
        {isMac ? '⌘K' : 'Ctrl-K'} Jump to server…
      </button>
      <Dialog title="Jump to server" open={open} onClose={() => closeDialog('jump')} className="jump-dialog">
        <JumpList />
      </Dialog>
    </>
  );
}

function JumpList() {
  const id = useId();
  const servers = useStore(serversStore, (s) => s.servers);
  const statuses = useStore(serversStore, (s) => s.statuses);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  // After the dialog opens: showModal() focuses its first button, which runs after our effects.
  useEffect(() => {
    const frame = requestAnimationFrame(() => input.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, []);
  const matches = filterByName(servers, query);
  const current = matches[Math.min(active, matches.length - 1)];

  const go = (serverId: string) => {
    selectServer(serverId);
    closeDialog('jump');
    // Land on the sidebar row, so ↑/↓ carry on from the server just chosen.
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`[data-server-id="${serverId}"]`)?.focus(),
    );
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(
        moveIndex(Math.min(active, matches.length - 1), e.key === 'ArrowDown' ? 1 : -1, matches.length),
      );
    } else if (e.key === 'Enter' && current) {
      e.preventDefault();
      go(current.id);
    }
  };

  return (
    <div className="jump">
      <input
        ref={input}
        role="combobox"
        aria-label="Server name"
        aria-expanded
        aria-controls={`${id}list`}
        aria-activedescendant={current ? `${id}${current.id}` : undefined}
        aria-autocomplete="list"
        placeholder="Type a server name"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKey}
      />
      <ul id={`${id}list`} role="listbox" aria-label="Matching servers" className="jump-list">
        {matches.map((s) => (
          <li
            key={s.id}
            id={`${id}${s.id}`}
            role="option"
            aria-selected={s === current}
            className={s === current ? 'jump-item active' : 'jump-item'}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => go(s.id)}
          >
            <span className={`dot dot-${shownStatus(statuses[s.id])}`} aria-hidden />
            {s.name}
          </li>
        ))}
      </ul>
      {matches.length === 0 && <p className="muted">No server matches “{query}”.</p>}
    </div>
  );
}
