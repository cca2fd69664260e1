import type { Frame, FrameQuery } from '@shared/frames';

export type { FrameQuery };

/** Whether a frame passes every filter set in the query. */
export function matchesQuery(f: Frame, q: FrameQuery): boolean {
  if (q.sessionId !== undefined && f.sessionId !== q.sessionId) return false;
  if (q.leg !== undefined && f.leg !== q.leg) return false;
  if (q.kind !== undefined && f.kind !== q.kind) return false;
  if (q.method !== undefined && f.method !== q.method) return false;
  if (q.text !== undefined && q.text !== '' && !f.raw.toLowerCase().includes(q.text.toLowerCase()))
    return false;
  return true;
}
