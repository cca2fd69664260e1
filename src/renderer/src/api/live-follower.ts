import type { ApiError, ApiResult, Snapshot } from '@shared/contract';
import type { Frame } from '@shared/frames';
import type { StderrEntry } from '@shared/status';
import type { Api } from './api';

/** How one kind of live data is taken and kept current; the follower does the ordering. */
export interface LiveSpec<S, E> {
  /** Takes the snapshot (one call or several). */
  snapshot(): Promise<S>;
  /** Wires the live events to `push`, once; while a snapshot is on its way they wait. */
  events(push: (event: E) => void): void;
  applySnapshot(snapshot: S): void;
  /** An event newer than every snapshot applied so far. */
  applyEvent(event: E): void;
  /** Whether a reconnect should reload (something is being followed); always, if left out. */
  active?(): boolean;
}

export interface LiveFollower {
  /** Takes a snapshot and replays over it the events that came meanwhile (no gap, no duplicate). */
  reload(): Promise<void>;
  /** Forgets a snapshot on its way: its answer is ignored, and events apply at once again. */
  cancel(): void;
}

/** Events held while a snapshot is on its way; past this they are dropped and a newer snapshot is taken. */
export const MAX_QUEUED_EVENTS = 1000;
/** Snapshots taken again in a row because events overflowed; then the events are given up on. */
const MAX_RETAKES = 3;

/**
 * The renderer's one way to follow live data: snapshot, then events, with events that arrive
 * during the snapshot replayed after it, and a reload after the link to the engine comes back.
 */
export function createLiveFollower<S, E>(api: Pick<Api, 'onReconnect'>, spec: LiveSpec<S, E>): LiveFollower {
  /** Bumps per snapshot, so an answer to an older one is ignored. */
  let generation = 0;
  let queued: E[] | undefined;
  let overflowed = false;

  const push = (event: E) => {
    if (!queued) return spec.applyEvent(event);
    if (overflowed) return;
    if (queued.length < MAX_QUEUED_EVENTS) queued.push(event);
    else {
      overflowed = true;
      queued = [];
    }
  };

  const reload = async (retakes = 0): Promise<void> => {
    const mine = ++generation;
    queued = [];
    overflowed = false;
    const snapshot = await spec.snapshot();
    if (mine !== generation) return;
    const waiting = queued;
    const lost = overflowed;
    queued = undefined;
    spec.applySnapshot(snapshot);
    // Events were dropped while it loaded: a newer snapshot holds what they said.
    if (lost && retakes < MAX_RETAKES) return reload(retakes + 1);
    for (const e of waiting) spec.applyEvent(e);
  };

  const cancel = () => {
    ++generation;
    queued = undefined;
  };

  spec.events(push);
  api.onReconnect(() => {
    if (spec.active?.() ?? true) void reload();
  });
  return { reload: () => reload(), cancel };
}

/** The contract's per-server streams that start with a `Snapshot` and go on as batches. */
export interface LiveStreams {
  frames: Frame;
  logs: StderrEntry;
}
export type LiveStreamName = keyof LiveStreams;

/** What a feature does with one server's stream; the follower keeps seqs, runs and order. */
export interface StreamSink<T> {
  /**
   * A snapshot's items, older than any live batch given after it. `restarted`: the follow asked
   * for the whole stream again; `newRun`: the seqs began again (Patchbay restarted).
   */
  snapshot(serverId: string, items: readonly T[], how: { restarted: boolean; newRun: boolean }): void;
  /** Live items above everything given so far, and how many the engine dropped (slow view). */
  live(serverId: string, items: readonly T[], skipped: number): void;
  /** The subscribe was refused (e.g. `not_running`): nothing follows until the next `follow`. */
  failed(serverId: string, error: ApiError): void;
}

/** One server's stream at a time: snapshot after the last seq seen, then batches, resumed after a reconnect. */
export interface StreamFollower {
  /**
   * Follows `serverId` from where this follower left off (another server starts over). `restart`
   * asks for the whole stream: the server may have been restarted, numbering from 1 again.
   */
  follow(serverId: string, options?: { restart?: boolean }): Promise<void>;
  /** Stops following `serverId` (if it is the one followed) and tells the engine. */
  release(serverId: string): Promise<ApiError | undefined>;
  /** The server followed now, if any. */
  following(): string | undefined;
}

type Batch<T> = { serverId: string; items: readonly T[]; skipped: number };
type Taken<T> = { serverId: string; restarted: boolean; result: ApiResult<Snapshot<T>> } | undefined;

/** A follower of `frames` or `logs` on an injected api (a fake one in unit tests). */
export function createStreamFollower<S extends LiveStreamName>(
  api: Pick<Api, 'call' | 'on' | 'onReconnect'>,
  stream: S,
  sink: StreamSink<LiveStreams[S]>,
): StreamFollower {
  type T = LiveStreams[S];
  let followed: string | undefined;
  /** Which numbering `lastSeq` belongs to (from the last snapshot). */
  let run: string | undefined;
  let lastSeq = 0;
  let restartAsked = false;

  const subscribe = (args: { id: string; afterSeq: number; run?: string }) =>
    (stream === 'frames' ? api.call('frames.subscribe', args) : api.call('logs.subscribe', args)) as Promise<
      ApiResult<Snapshot<T>>
    >;

  const live = createLiveFollower<Taken<T>, Batch<T>>(api, {
    async snapshot() {
      const serverId = followed;
      if (serverId === undefined) return undefined;
      const restarted = restartAsked;
      restartAsked = false;
      const result = await subscribe({
        id: serverId,
        afterSeq: lastSeq,
        ...(run === undefined ? {} : { run }),
      });
      return { serverId, restarted, result };
    },
    events(push) {
      if (stream === 'frames')
        api.on('frames.batch', (b) =>
          push({ serverId: b.serverId, items: b.frames as T[], skipped: b.skipped }),
        );
      else
        api.on('logs.batch', (b) =>
          push({ serverId: b.serverId, items: b.entries as T[], skipped: b.skipped }),
        );
    },
    applySnapshot(taken) {
      if (!taken || taken.serverId !== followed) return;
      const { serverId, restarted, result } = taken;
      if (!result.ok) return sink.failed(serverId, result.error);
      const newRun = run !== undefined && result.value.run !== run;
      run = result.value.run;
      const items = result.value.items;
      // `lastSeq` is the snapshot's own word; a malformed one cannot stop the batches.
      lastSeq = Math.max(Number(result.value.lastSeq) || 0, items.at(-1)?.seq ?? 0);
      sink.snapshot(serverId, items, { restarted, newRun });
    },
    applyEvent(batch) {
      if (batch.serverId !== followed) return;
      const fresh = batch.items.filter((item) => item.seq > lastSeq);
      if (fresh.length > 0) lastSeq = fresh[fresh.length - 1]!.seq;
      if (fresh.length > 0 || batch.skipped > 0) sink.live(batch.serverId, fresh, batch.skipped);
    },
    active: () => followed !== undefined,
  });

  const follow = async (serverId: string, options: { restart?: boolean } = {}) => {
    const restart = options.restart === true;
    if (followed !== serverId || restart) {
      run = undefined;
      lastSeq = 0;
    }
    followed = serverId;
    restartAsked = restart;
    await live.reload();
  };

  const release = async (serverId: string) => {
    if (followed === serverId) {
      followed = undefined;
      live.cancel(); // an answer still on its way is for the released server
      run = undefined;
      lastSeq = 0;
    }
    const result =
      stream === 'frames'
        ? await api.call('frames.unsubscribe', { id: serverId })
        : await api.call('logs.unsubscribe', { id: serverId });
    return result.ok ? undefined : result.error;
  };

  return { follow, release, following: () => followed };
}
