import type { Frame, FrameKind, Leg } from '../inspect/frame';

/** Filters of the inspector: all optional, all must match. */
export interface FrameQuery {
  afterSeq?: number;
  limit?: number;
  sessionId?: string;
  leg?: Leg;
  kind?: FrameKind;
  method?: string;
  /** Case-insensitive text anywhere in the raw frame. */
  text?: string;
}

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
