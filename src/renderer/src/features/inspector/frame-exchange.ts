import type { Frame, Leg } from '@shared/frames';
import type { FrameIndex } from './frame-index';

/** A request and its answer cross mirror legs: the HTTP pair, or the stdio pair. */
export const MIRROR_LEG: Record<Leg, Leg> = {
  'client→proxy': 'proxy→client',
  'proxy→client': 'client→proxy',
  'proxy→server': 'server→proxy',
  'server→proxy': 'proxy→server',
};

/** How far to look for the other frames of one exchange: the whole held list at most. */
const WALK_LIMIT = 100_000;

const isAnswer = (f: Frame) => f.kind === 'response' || f.kind === 'error';
const isRequest = (f: Frame) => f.kind === 'request';

/** Ids 7 and "7" are different requests (JSON-RPC 2.0 §4). */
const sameId = (a: Frame['rpcId'], b: Frame['rpcId']) => a !== undefined && a === b;

/**
 * Which way an exchange runs: a client's request goes ⇢ then →, its answer ← then ⇠; a
 * server's request (sampling, roots…) goes ← then ⇠, its answer ⇢ then →. The ids of the
 * two directions are separate spaces, so the direction is part of the match.
 */
function fromClient(f: Frame): boolean {
  const down = f.leg === 'client→proxy' || f.leg === 'proxy→server';
  return isRequest(f) ? down : !down;
}

export interface Exchange {
  /** The frames of one request and its answer on every leg, oldest first. */
  frames: Frame[];
  /** The answer to a request, or the request of an answer, on the mirror leg. */
  pair: Frame | undefined;
  /** True when the first request and the last answer were both found: nothing more will come. */
  complete: boolean;
}

/**
 * The frames of the exchange `frame` belongs to (same session, same rpc id, same
 * direction), found by walking out from it: back to the first request, on to the last
 * answer. Isolated sessions keep ids on the stdio legs; shared mode renumbers them, so
 * there only the HTTP pair (or the stdio pair) is found.
 */
export function exchangeOf(index: FrameIndex, frame: Frame): Exchange {
  if (frame.rpcId === undefined || !(isRequest(frame) || isAnswer(frame))) {
    return { frames: [frame], pair: undefined, complete: true };
  }
  const client = fromClient(frame);
  const firstLeg: Leg = client ? 'client→proxy' : 'server→proxy';
  const lastLeg: Leg = client ? 'proxy→client' : 'proxy→server';
  const member = (f: Frame) =>
    f.sessionId === frame.sessionId &&
    sameId(f.rpcId, frame.rpcId) &&
    (isRequest(f) || isAnswer(f)) &&
    fromClient(f) === client;

  const before: Frame[] = [];
  const after: Frame[] = [];
  let sawFirst = isRequest(frame) && frame.leg === firstLeg;
  let sawLast = isAnswer(frame) && frame.leg === lastLeg;
  if (!sawFirst) {
    index.walk(frame.seq, -1, WALK_LIMIT, (f) => {
      if (!member(f)) return false;
      before.push(f);
      sawFirst = isRequest(f) && f.leg === firstLeg;
      return sawFirst;
    });
  }
  if (!sawLast) {
    index.walk(frame.seq, 1, WALK_LIMIT, (f) => {
      if (!member(f)) return false;
      after.push(f);
      sawLast = isAnswer(f) && f.leg === lastLeg;
      return sawLast;
    });
  }
  const frames = [...before.reverse(), frame, ...after];
  const mirror = MIRROR_LEG[frame.leg];
  const pair = frames.find((f) => f.leg === mirror && isRequest(f) !== isRequest(frame));
  return { frames, pair, complete: sawFirst && sawLast };
}
