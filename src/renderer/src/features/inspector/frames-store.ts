import type { Frame } from '@shared/frames';
import { createStore } from 'zustand/vanilla';
import { api } from '../../api/api';

export interface FramesState {
  serverId: string | undefined;
  /** In seq order, each seq once. */
  frames: Frame[];
  lastSeq: number;
  /** Frames the engine dropped because this view fell behind. */
  skipped: number;
}

export const framesStore = createStore<FramesState>(() => ({
  serverId: undefined,
  frames: [],
  lastSeq: 0,
  skipped: 0,
}));

const MAX_FRAMES = 100_000;

/** Appends frames newer than what is held: a snapshot and live batches can overlap, never duplicate. */
function append(serverId: string, frames: readonly Frame[], skipped = 0): void {
  const s = framesStore.getState();
  if (s.serverId !== serverId) return;
  const fresh = frames.filter((f) => f.seq > s.lastSeq);
  if (fresh.length === 0 && skipped === 0) return;
  let next = fresh.length ? s.frames.concat(fresh) : s.frames;
  if (next.length > MAX_FRAMES) next = next.slice(next.length - MAX_FRAMES);
  framesStore.setState({
    frames: next,
    lastSeq: fresh.length ? fresh[fresh.length - 1]!.seq : s.lastSeq,
    skipped: s.skipped + skipped,
  });
}

/** Shows a server's frames: snapshot from where this view left off, then live batches. */
export async function watchFrames(serverId: string): Promise<void> {
  const s = framesStore.getState();
  if (s.serverId !== serverId) framesStore.setState({ serverId, frames: [], lastSeq: 0, skipped: 0 });
  const result = await api.call('frames.subscribe', {
    id: serverId,
    afterSeq: framesStore.getState().lastSeq,
  });
  if (result.ok) append(serverId, result.value.items);
}

api.on('frames.batch', (batch) => append(batch.serverId, batch.frames, batch.skipped));
api.onReconnect(() => {
  const id = framesStore.getState().serverId;
  if (id) void watchFrames(id);
});
