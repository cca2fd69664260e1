import type { FrameKind, Leg } from '@shared/frames';
import { createStore } from 'zustand/vanilla';
import { compileFilter, parseFilter } from './frame-filter';
import { frameIndex, publish } from './frames-store';

/** What the user set in the inspector: filter, pause, selection. The frames are in frames-store. */
export interface InspectorState {
  filterText: string;
  leg: Leg | undefined;
  kind: FrameKind | undefined;
  session: string | undefined;
  showKeepalives: boolean;
  /** Show Patchbay's own traffic (hidden by default: it is not the user's conversation). */
  showOwn: boolean;
  /** Filter tokens that could not be understood, said plainly. */
  problems: string[];
  paused: boolean;
  /** The list shows frames up to this seq while paused. */
  pausedAtSeq: number;
  selectedSeq: number | undefined;
  detailOpen: boolean;
}

const initial: InspectorState = {
  filterText: '',
  leg: undefined,
  kind: undefined,
  session: undefined,
  showKeepalives: false,
  showOwn: false,
  problems: [],
  paused: false,
  pausedAtSeq: 0,
  selectedSeq: undefined,
  detailOpen: false,
};

export const inspectorStore = createStore<InspectorState>(() => initial);

/** Rebuilds the filtered view once from the current settings. */
function applyFilter(): void {
  const s = inspectorStore.getState();
  const parsed = parseFilter(s.filterText);
  frameIndex.setFilter(
    compileFilter(parsed, {
      leg: s.leg,
      kind: s.kind,
      session: s.session,
      showKeepalives: s.showKeepalives,
      showOwn: s.showOwn,
    }),
  );
  inspectorStore.setState({ problems: parsed.problems });
  publish();
}

let typing: ReturnType<typeof setTimeout> | undefined;
/** Typing shows at once; the view is rebuilt when typing pauses (one pass over 100k frames, not one per key). */
export function setFilterText(filterText: string): void {
  inspectorStore.setState({ filterText });
  clearTimeout(typing);
  typing = setTimeout(applyFilter, 120);
}

export function setQuickFilter(
  quick: Partial<Pick<InspectorState, 'leg' | 'kind' | 'session' | 'showKeepalives' | 'showOwn'>>,
): void {
  inspectorStore.setState(quick);
  applyFilter();
}

export function clearFilter(): void {
  clearTimeout(typing);
  inspectorStore.setState({ filterText: '', leg: undefined, kind: undefined, session: undefined });
  applyFilter();
}

/** Paused: the list stands still and counts what arrives; resumed: back to the live tail. */
export function togglePause(): void {
  const s = inspectorStore.getState();
  frameIndex.hold(!s.paused);
  inspectorStore.setState(s.paused ? { paused: false } : { paused: true, pausedAtSeq: frameIndex.lastSeq });
}

export function select(seq: number | undefined, open?: boolean): void {
  inspectorStore.setState(open === undefined ? { selectedSeq: seq } : { selectedSeq: seq, detailOpen: open });
}

export function closeDetail(): void {
  inspectorStore.setState({ detailOpen: false });
}

/** Another server, or a cleared list: nothing selected, nothing paused; the filter stays. */
export function resetView(): void {
  frameIndex.hold(false);
  inspectorStore.setState({ paused: false, pausedAtSeq: 0, selectedSeq: undefined, detailOpen: false });
}

let epochSeen = -1;
/** Resets selection and pause when the frames were cleared or replaced (seqs no longer mean the same frames). */
export function syncEpoch(epoch: number): void {
  if (epoch === epochSeen) return;
  epochSeen = epoch;
  resetView();
}

// The index starts with the default filter: keep-alives and Patchbay's own traffic hidden.
frameIndex.setFilter(compileFilter(parseFilter(''), {}));
