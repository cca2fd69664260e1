import type { Frame } from '@shared/frames';
import { createStore } from 'zustand/vanilla';
import { api } from '../../api/api';
import { serversStore } from '../servers/servers-store';
import { FrameIndex } from './frame-index';

/** What components read to know the frames changed; the frames themselves live in `frameIndex`. */
export interface FramesState {
  serverId: string | undefined;
  /** `frameIndex.version` when last published: components re-render on it. */
  version: number;
  lastSeq: number;
  /** Frames the engine dropped because this view fell behind. */
  skipped: number;
  /** Older frames dropped here to stay under the cap. */
  dropped: number;
  /** Why the last subscribe or clear failed. */
  error: string | undefined;
  /** Bumps when the frames are cleared or replaced: a seq then names another frame, or none. */
  epoch: number;
}

export const frameIndex = new FrameIndex();

export const framesStore = createStore<FramesState>(() => ({
  serverId: undefined,
  version: 0,
  lastSeq: 0,
  skipped: 0,
  dropped: 0,
  error: undefined,
  epoch: 0,
}));

/** Mirrors the index into the store, so subscribers re-render. */
export function publish(extra: Partial<FramesState> = {}): void {
  framesStore.setState({
    version: frameIndex.version,
    lastSeq: frameIndex.lastSeq,
    dropped: frameIndex.dropped,
    ...extra,
  });
}

type Batch = { serverId: string; frames: Frame[]; skipped: number };
/** Live batches that arrive while a snapshot is on its way: replayed after it (no gap, no duplicate). */
let queued: Batch[] | undefined;
/** The numbering the held seqs belong to (from the last snapshot). */
let run: string | undefined;
/** Bumps per subscribe, so an answer to an older one is ignored. */
let generation = 0;

let skippedUnpublished = 0;
let publishQueued = false;

/**
 * Renders at most once per animation frame: under a flood two batches often land in one
 * frame, and a hidden window renders nothing until shown again (the index keeps up).
 */
function publishSoon(): void {
  if (publishQueued) return;
  publishQueued = true;
  requestAnimationFrame(() => {
    publishQueued = false;
    const skipped = skippedUnpublished;
    skippedUnpublished = 0;
    publish(skipped > 0 ? { skipped: framesStore.getState().skipped + skipped } : {});
  });
}

function apply(batch: Batch): void {
  if (batch.serverId !== framesStore.getState().serverId) return;
  const before = frameIndex.version;
  frameIndex.append(batch.frames);
  skippedUnpublished += batch.skipped;
  if (frameIndex.version !== before || batch.skipped > 0) publishSoon();
}

/**
 * Shows a server's frames: a snapshot from where this view left off, then live batches.
 * `fresh` forgets what is held: a new run of the server numbers its frames from 1 again.
 */
export async function watchFrames(serverId: string, options: { fresh?: boolean } = {}): Promise<void> {
  const previous = framesStore.getState().serverId;
  if (previous !== serverId || options.fresh) {
    if (previous !== undefined && previous !== serverId)
      void api.call('frames.unsubscribe', { id: previous });
    frameIndex.reset();
    run = undefined;
    skippedUnpublished = 0;
    framesStore.setState((s) => ({ serverId, skipped: 0, error: undefined, epoch: s.epoch + 1 }));
    publish();
  }
  const mine = ++generation;
  queued = [];
  const result = await api.call('frames.subscribe', {
    id: serverId,
    afterSeq: frameIndex.lastSeq,
    ...(run === undefined ? {} : { run }),
  });
  if (mine !== generation || framesStore.getState().serverId !== serverId) return;
  const waiting = queued;
  queued = undefined;
  if (!result.ok) {
    // Stopped meanwhile (e.g. a reconnect after the server was stopped): nothing to follow.
    if (result.error.code === 'not_running') return;
    framesStore.setState({ error: `Could not follow the frames: ${result.error.message}` });
    return;
  }
  if (run !== undefined && result.value.run !== run) {
    // Patchbay itself restarted while this page stayed open: the seqs begin again.
    frameIndex.reset();
    skippedUnpublished = 0;
    framesStore.setState((s) => ({ skipped: 0, epoch: s.epoch + 1 }));
  }
  run = result.value.run;
  apply({ serverId, frames: result.value.items, skipped: 0 });
  for (const b of waiting) apply(b);
  if (framesStore.getState().error) framesStore.setState({ error: undefined });
}

/** Stops following whatever server the view holds and empties it (another, stopped server is shown). */
export function releaseFrames(): void {
  const held = framesStore.getState().serverId;
  if (held === undefined) return;
  void api.call('frames.unsubscribe', { id: held });
  ++generation; // an answer still on its way is for the released server
  queued = undefined;
  frameIndex.reset();
  run = undefined;
  skippedUnpublished = 0;
  framesStore.setState((s) => ({ serverId: undefined, skipped: 0, error: undefined, epoch: s.epoch + 1 }));
  publish();
}

/** Forgets the frames in the engine and here; `lastSeq` stays, since the engine keeps numbering. */
export async function clearFrames(serverId: string): Promise<boolean> {
  const result = await api.call('frames.clear', { id: serverId });
  if (!result.ok) {
    framesStore.setState({ error: `Could not clear the frames: ${result.error.message}. Try Clear again.` });
    return false;
  }
  if (framesStore.getState().serverId === serverId) {
    frameIndex.clear();
    publish({ skipped: 0, error: undefined, epoch: framesStore.getState().epoch + 1 });
  }
  return true;
}

api.on('frames.batch', (batch) => {
  if (queued) queued.push(batch);
  else apply(batch);
});
api.onReconnect(() => {
  const id = framesStore.getState().serverId;
  if (id) void watchFrames(id);
});
// A stopped server's runtime is gone; the next run is a new frame tap numbering from 1.
serversStore.subscribe((s, prev) => {
  const id = framesStore.getState().serverId;
  if (!id) return;
  if (prev.statuses[id]?.url === undefined && s.statuses[id]?.url !== undefined && prev.statuses[id]) {
    void watchFrames(id, { fresh: true });
  }
});
