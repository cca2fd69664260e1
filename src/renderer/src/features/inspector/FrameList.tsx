import type { Frame } from '@shared/frames';
import {
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
  type Ref,
  type WheelEvent,
  memo,
  useEffect,
  useEffectEvent,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { useStore } from 'zustand';
import {
  KIND_LABEL,
  LEG_ARROW,
  LEG_LABEL,
  formatBytes,
  formatId,
  formatTime,
  fullId,
  shortSession,
} from './frame-format';
import { frameIndex, framesStore } from './frames-store';
import { inspectorStore, select } from './inspector-store';
import { requestMethodOf } from './request-methods';
import { ROW_HEIGHT, scrollToReveal, visibleRows } from './virtual-rows';
import './inspector.css';

/** The sticky header row's height; rows start below it. */
const HEADER_HEIGHT = ROW_HEIGHT + 2;

const COLUMNS = ['Time', 'Session', 'Leg', 'Transport', 'Kind', 'Method', 'Id', 'Size', 'Latency'];

/** How many rows of the filtered view the list shows: all of them live, up to the pause point when paused. */
export function shownCount(paused: boolean, pausedAtSeq: number): number {
  return paused ? frameIndex.viewCountUpTo(pausedAtSeq) : frameIndex.viewLength;
}

export interface FrameListHandle {
  focus(): void;
  element(): HTMLDivElement | null;
}

/**
 * The live frame list: a virtualized grid (fixed row height, only visible rows in the
 * DOM). It follows the tail while scrolled to the bottom; scrolled up, it keeps the same
 * frames in view as new ones arrive, old ones are dropped or the filter changes.
 */
export function FrameList({ ref }: { ref?: Ref<FrameListHandle> }) {
  useStore(framesStore, (s) => s.version);
  const paused = useStore(inspectorStore, (s) => s.paused);
  const pausedAtSeq = useStore(inspectorStore, (s) => s.pausedAtSeq);
  const selectedSeq = useStore(inspectorStore, (s) => s.selectedSeq);
  const count = shownCount(paused, pausedAtSeq);

  const scroller = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(0);
  /** Bumped by user scrolls: the position itself lives in `anchor`. */
  const [, setScrolled] = useState(0);
  const following = useRef(true);
  /** The frame at the top of the view and how far it is scrolled past: what stays put when not following. */
  const anchor = useRef<{ seq: number; offset: number } | undefined>(undefined);
  /** The scrollTop last set or seen: reading scrollTop on every batch would force a layout. */
  const at = useRef(0);
  const shown = useRef(count);
  const wasPaused = useRef(paused);
  useImperativeHandle(ref, () => ({
    focus: () => scroller.current?.focus(),
    element: () => scroller.current,
  }));

  // Where the view should be, worked out before rendering, so the rows rendered are the
  // rows shown: no layout read, no second render per batch.
  const viewport = Math.max(0, height - HEADER_HEIGHT);
  const maxTop = Math.max(0, count * ROW_HEIGHT - viewport);
  const resumed = wasPaused.current && !paused; // resume jumps to live
  let top: number;
  if (following.current || resumed) top = maxTop;
  else if (anchor.current) {
    top = frameIndex.viewIndexOfSeq(anchor.current.seq) * ROW_HEIGHT + anchor.current.offset;
    top = Math.min(maxTop, Math.max(0, top));
  } else top = Math.min(maxTop, at.current);

  const anchorAt = (t: number) => {
    const first = Math.floor(t / ROW_HEIGHT);
    const f = frameIndex.viewAt(first);
    return f ? { seq: f.seq, offset: t - first * ROW_HEIGHT } : undefined;
  };
  const scrollTo = (t: number) => {
    const el = scroller.current;
    if (!el) return;
    if (t < maxTop) following.current = false;
    anchor.current = anchorAt(t);
    el.scrollTop = t;
    at.current = t;
  };

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (resumed) following.current = true;
    wasPaused.current = paused;
    shown.current = count;
    if (Math.abs(at.current - top) >= 1) {
      el.scrollTop = top;
      at.current = top;
    }
    anchor.current = anchorAt(top);
  });

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const t = el.scrollTop;
    at.current = t;
    following.current = t >= shown.current * ROW_HEIGHT - (el.clientHeight - HEADER_HEIGHT) - ROW_HEIGHT / 2;
    anchor.current = anchorAt(t);
    setScrolled((n) => n + 1);
  };
  // Stop following as soon as the user reaches for the list, before its scroll event:
  // a batch landing in between would otherwise pull the view back to the tail.
  const onWheel = (e: WheelEvent<HTMLDivElement>) => {
    if (e.deltaY < 0) following.current = false;
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.target === e.currentTarget) following.current = false; // the scrollbar
  };

  // A selection made elsewhere (the pair link, the timeline) scrolls into view. Only a new
  // selection does: new frames or a resize must not pull the view back to the selected row.
  const reveal = useEffectEvent((seq: number) => {
    const i = frameIndex.viewIndexOfSeq(seq);
    if (i >= count || frameIndex.viewAt(i)?.seq !== seq) return;
    const t = scrollToReveal(i, at.current, viewport);
    if (t !== undefined) scrollTo(t);
  });
  useEffect(() => {
    if (selectedSeq !== undefined) reveal(selectedSeq);
  }, [selectedSeq]);

  const move = (to: (current: number) => number) => {
    if (count === 0) return;
    const i =
      selectedSeq === undefined || frameIndex.bySeq(selectedSeq) === undefined
        ? -1
        : frameIndex.viewIndexOfSeq(selectedSeq);
    const next = Math.min(count - 1, Math.max(0, to(i)));
    const f = frameIndex.viewAt(next);
    if (!f) return;
    const t = scrollToReveal(next, at.current, viewport);
    if (t !== undefined) scrollTo(t);
    select(f.seq);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    const firstInView = Math.ceil(at.current / ROW_HEIGHT);
    const lastInView = Math.min(count - 1, Math.floor((at.current + viewport) / ROW_HEIGHT) - 1);
    const keys: Record<string, (i: number) => number> = {
      ArrowDown: (i) => (i < 0 ? firstInView : i + 1),
      ArrowUp: (i) => (i < 0 ? lastInView : i - 1),
      PageDown: (i) => (i < 0 ? firstInView : i) + page,
      PageUp: (i) => (i < 0 ? lastInView : i) - page,
      Home: () => 0,
      End: () => count - 1,
    };
    const to = keys[e.key];
    if (to) {
      e.preventDefault();
      move(to);
    } else if (e.key === 'Enter' && selectedSeq !== undefined) {
      e.preventDefault();
      select(selectedSeq, true);
    }
  };

  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-seq]');
    if (row) select(Number(row.dataset['seq']), true);
  };

  const { start, end } = visibleRows(top, viewport, count);
  const rows: Frame[] = [];
  for (let i = start; i < end; i++) {
    const f = frameIndex.viewAt(i);
    if (f) rows.push(f);
  }
  const selectedShown = selectedSeq !== undefined && rows.some((f) => f.seq === selectedSeq);
  // Rows keyed by slot, not by seq: on a fast tail every row shows a new frame each batch,
  // and updating text in place is far cheaper than replacing the elements.
  const slots = Math.max(1, end - start);

  return (
    <div
      ref={scroller}
      className="frame-grid"
      role="grid"
      aria-label="Frames"
      aria-rowcount={count + 1}
      aria-activedescendant={selectedShown ? `frame-${selectedSeq}` : undefined}
      tabIndex={0}
      onScroll={onScroll}
      onWheel={onWheel}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className="frame-head">
        <div role="row" aria-rowindex={1} className="frame-row">
          {COLUMNS.map((c) => (
            <span key={c} role="columnheader">
              {c}
            </span>
          ))}
        </div>
      </div>
      <div role="rowgroup" className="frame-body" style={{ height: count * ROW_HEIGHT }} onClick={onClick}>
        {rows.map((f, k) => (
          <FrameRow key={(start + k) % slots} frame={f} index={start + k} selected={f.seq === selectedSeq} />
        ))}
      </div>
    </div>
  );
}

const FrameRow = memo(function FrameRow({
  frame: f,
  index,
  selected,
}: {
  frame: Frame;
  index: number;
  selected: boolean;
}) {
  const noisePreview =
    f.method === undefined && (f.kind === 'noise' || f.kind === 'note') ? f.raw.slice(0, 120) : undefined;
  const own = f.by !== undefined;
  const asked = requestMethodOf(f);
  return (
    <div
      role="row"
      id={`frame-${f.seq}`}
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-seq={f.seq}
      // Patchbay's own frames are muted and never take a kind's colour: its probe's -32601 is no error of the user's.
      className={`frame-row ${own ? 'by-patchbay' : `kind-${f.kind}`}${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
    >
      <span role="gridcell" className="time">
        {formatTime(f.ts)}
      </span>
      <span role="gridcell" className="session" title={f.sessionId}>
        {shortSession(f.sessionId)}
      </span>
      <span
        role="gridcell"
        // The HTTP side's arrows (⇢ ⇠) and the stdio side's (→ ←) differ in colour and weight, not only in glyph.
        className={`leg leg-${f.leg === 'client→proxy' || f.leg === 'proxy→client' ? 'http' : 'stdio'}`}
        title={f.leg}
        aria-label={LEG_LABEL[f.leg]}
      >
        {LEG_ARROW[f.leg]}
      </span>
      <span role="gridcell" className={`tag tag-${f.transport}`}>
        {f.transport}
      </span>
      <span role="gridcell" className={`tag tag-kind tag-${f.kind}`}>
        {KIND_LABEL[f.kind]}
      </span>
      <span role="gridcell" className={noisePreview === undefined ? 'method' : 'method preview'}>
        {own && (
          <span className="own-tag" title="Patchbay's own traffic, not your client's">
            Patchbay
          </span>
        )}
        {f.method ?? noisePreview ?? ''}
        {asked !== undefined && (
          <span className="asked" title={`Answers a ${asked} request`}>
            {f.method === undefined ? asked : ` ${asked}`}
          </span>
        )}
      </span>
      <span role="gridcell" className="id" title={fullId(f.rpcId)}>
        {formatId(f.rpcId)}
      </span>
      <span role="gridcell" className="size">
        {formatBytes(f.bytes)}
      </span>
      <span role="gridcell" className="latency">
        {f.latencyMs === undefined ? '' : `${f.latencyMs} ms`}
      </span>
    </div>
  );
});
