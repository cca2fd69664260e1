import type { Snapshot } from '@shared/contract';
import { LiveStream } from './live-stream';

/** A connection's live streams of one kind, by server id. */
export type LiveStreams = Map<string, { stream: LiveStream<never>; off: () => void }>;

/**
 * Starts (or restarts) a connection's live stream of a server's items: subscribes first, then
 * reads the snapshot, so nothing falls between the two; the stream sends what follows it.
 */
export function subscription<T extends { seq: number }>(
  map: LiveStreams,
  id: string,
  resume: { afterSeq?: number; run?: string },
  run: string,
  snapshot: (afterSeq: number) => T[],
  subscribe: (onItems: (items: T[], skipped: number) => void) => () => void,
  send: (items: T[], skipped: number) => void,
  options: { batchMs?: number; maxPending?: number },
): Snapshot<T> {
  const previous = map.get(id);
  previous?.off();
  previous?.stream.close();
  // Subscribe first, then read the snapshot: nothing falls between the two, and the
  // stream's floor drops what the snapshot already holds.
  const pending: { items: T[]; skipped: number }[] = [];
  const box: { stream?: LiveStream<T> } = {};
  const off = subscribe((items, skipped) =>
    box.stream ? box.stream.push(items, skipped) : pending.push({ items, skipped }),
  );
  // Another run's seqs mean nothing here: send this run from its start.
  const afterSeq = resume.run !== undefined && resume.run !== run ? 0 : (resume.afterSeq ?? 0);
  const items = snapshot(afterSeq);
  const lastSeq = items[items.length - 1]?.seq ?? afterSeq;
  const stream = new LiveStream<T>(send, lastSeq, options.batchMs, options.maxPending);
  box.stream = stream;
  for (const p of pending) stream.push(p.items, p.skipped);
  map.set(id, { stream: stream as unknown as LiveStream<never>, off });
  return { items, lastSeq, run };
}

/** Ends a connection's live stream of a server, if it has one. */
export function unsubscribe(map: LiveStreams, id: string): null {
  const s = map.get(id);
  s?.off();
  s?.stream.close();
  map.delete(id);
  return null;
}
