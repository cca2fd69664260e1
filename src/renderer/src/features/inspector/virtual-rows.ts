/** Fixed-height row virtualization: only the rows in view (plus a margin) are in the DOM. */

export const ROW_HEIGHT = 20;
/** Rows rendered above and below the viewport, so a fast scroll does not show blanks. */
const OVERSCAN = 8;

export interface RowRange {
  /** First row rendered (inclusive). */
  start: number;
  /** Last row rendered (exclusive). */
  end: number;
}

/**
 * The rows to render for a scroll position. `viewport` is the height rows can show in
 * (the scroller's height less its sticky header).
 */
export function visibleRows(scrollTop: number, viewport: number, count: number): RowRange {
  const first = Math.floor(Math.max(0, scrollTop) / ROW_HEIGHT);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewport)) / ROW_HEIGHT);
  return { start: Math.max(0, first - OVERSCAN), end: Math.min(count, last + OVERSCAN) };
}

/** The scrollTop that brings row `i` fully into view, or undefined when it is already. */
export function scrollToReveal(i: number, scrollTop: number, viewport: number): number | undefined {
  const top = i * ROW_HEIGHT;
  if (top < scrollTop) return top;
  if (top + ROW_HEIGHT > scrollTop + viewport) return top + ROW_HEIGHT - viewport;
  return undefined;
}
