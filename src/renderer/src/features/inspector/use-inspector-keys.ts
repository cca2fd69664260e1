import { type RefObject, useEffect } from 'react';
import type { FrameListHandle } from './FrameList';
import { closeDetail, inspectorStore, togglePause } from './inspector-store';

/** True where a key means typing (or pressing this control), not an inspector shortcut. */
function claimsKeys(el: Element | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  return (
    el instanceof HTMLInputElement ||
    el instanceof HTMLTextAreaElement ||
    el instanceof HTMLSelectElement ||
    el instanceof HTMLButtonElement ||
    el instanceof HTMLAnchorElement ||
    el.tagName === 'SUMMARY'
  );
}

/**
 * The inspector's keys (UI.md "Keyboard first"): `/` to the filter, space pauses when the
 * list has focus or nothing that takes keys does, Esc closes the detail pane.
 */
export function useInspectorKeys(
  filter: RefObject<HTMLInputElement | null>,
  list: RefObject<FrameListHandle | null>,
): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      // A modal (add server, settings) owns the keyboard while open.
      if (document.querySelector('dialog[open]')) return;
      const active = document.activeElement;
      const inList = active !== null && active === list.current?.element();
      if (e.key === '/' && !claimsKeys(active)) {
        e.preventDefault();
        filter.current?.focus();
        filter.current?.select();
      } else if (e.key === ' ' && (inList || (!claimsKeys(active) && !active?.closest('.frame-detail')))) {
        // (The raw and JSON panes keep space for scrolling.)
        e.preventDefault();
        togglePause();
      } else if (e.key === 'Escape' && inspectorStore.getState().detailOpen) {
        e.preventDefault();
        closeDetail();
        if (active === null || active === document.body || active.closest('.frame-detail'))
          list.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [filter, list]);
}
