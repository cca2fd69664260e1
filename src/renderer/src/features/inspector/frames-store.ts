import type { Frame } from '@shared/frames';
import { createStore } from 'zustand/vanilla';
import { ErrorCode } from '@shared/error-codes';
import type { ServerStatus } from '@shared/status';
import type { StoreApi } from 'zustand';
import type { Api } from '../../api/api';
import { createStreamFollower, type StreamFollower, type StreamSink } from '../../api/live-follower';
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

let skippedUnpublished = 0;
let publishQueued = false;
/** The stream, once `connectFrames` wired it to the api (in main.tsx). */
let follower: StreamFollower | undefined;
let api: FramesApi | undefined;

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

function apply(frames: readonly Frame[], skipped: number): void {
  const before = frameIndex.version;
  frameIndex.append(frames);
  skippedUnpublished += skipped;
  if (frameIndex.version !== before || skipped > 0) publishSoon();
}

/** Empties the view (another server, a fresh run, or none); the next frames start a new epoch. */
function startOver(serverId: string | undefined): void {
  frameIndex.reset();
  skippedUnpublished = 0;
  framesStore.setState((s) => ({ serverId, skipped: 0, error: undefined, epoch: s.epoch + 1 }));
  publish();
}

const sink: StreamSink<Frame> = {
  snapshot(serverId, items, { newRun }) {
    if (framesStore.getState().serverId !== serverId) return;
    // Patchbay itself restarted while this page stayed open: the seqs begin again.
    if (newRun) startOver(serverId);
    apply(items, 0);
    if (framesStore.getState().error) framesStore.setState({ error: undefined });
  },
  live(serverId, items, skipped) {
    if (framesStore.getState().serverId === serverId) apply(items, skipped);
  },
  failed(serverId, error) {
    // Stopped meanwhile (e.g. a reconnect after the server was stopped): nothing to follow.
    if (error.code === ErrorCode.NotRunning || framesStore.getState().serverId !== serverId) return;
    framesStore.setState({ error: `Could not follow the frames: ${error.message}` });
  },
};

/** The api calls and events the frames need; the real `api` in the app, a fake one in tests. */
type FramesApi = Pick<Api, 'call' | 'on' | 'onReconnect'>;

/**
 * Wires the frames to the engine (once, in main.tsx): the live follower, and a fresh start
 * when a followed server starts again (a new frame tap, numbering from 1).
 */
export function connectFrames(
  engine: FramesApi,
  servers: StoreApi<{ statuses: Record<string, Pick<ServerStatus, 'url'> | undefined> }>,
): void {
  api = engine;
  follower = createStreamFollower(engine, 'frames', sink);
  servers.subscribe((s, prev) => {
    const id = framesStore.getState().serverId;
    if (!id) return;
    if (prev.statuses[id]?.url === undefined && s.statuses[id]?.url !== undefined && prev.statuses[id]) {
      void watchFrames(id, { fresh: true });
    }
  });
}

/**
 * Shows a server's frames: a snapshot from where this view left off, then live batches.
 * `fresh` forgets what is held: a new run of the server numbers its frames from 1 again.
 */
export async function watchFrames(serverId: string, options: { fresh?: boolean } = {}): Promise<void> {
  if (!follower) return;
  const previous = framesStore.getState().serverId;
  if (previous !== serverId || options.fresh) {
    if (previous !== undefined && previous !== serverId) void follower.release(previous);
    startOver(serverId);
  }
  await follower.follow(serverId, { restart: options.fresh === true });
}

/** Stops following whatever server the view holds and empties it (another, stopped server is shown). */
export function releaseFrames(): void {
  const held = framesStore.getState().serverId;
  if (held === undefined || !follower) return;
  void follower.release(held);
  startOver(undefined);
}

/** Forgets the frames in the engine and here; `lastSeq` stays, since the engine keeps numbering. */
export async function clearFrames(serverId: string): Promise<boolean> {
  if (!api) return false;
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
