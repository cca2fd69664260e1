import { describe, expect, it } from 'vitest';
import { exchangeOf } from './frame-exchange';
import { FrameIndex } from './frame-index';
import { frame, toolCall } from './test-frames';

function held(...frames: ReturnType<typeof frame>[]) {
  const index = new FrameIndex();
  index.append(frames.sort((a, b) => a.seq - b.seq));
  return index;
}

describe('exchangeOf', () => {
  it('pairs a request with its response on the mirror leg, and back', () => {
    const call = toolCall(1, 7);
    const index = held(...call);
    const [httpReq, stdinReq, stdoutRes, sseRes] = call.map((f) => index.bySeq(f.seq)!);
    expect(exchangeOf(index, httpReq!).pair?.seq).toBe(sseRes!.seq);
    expect(exchangeOf(index, sseRes!).pair?.seq).toBe(httpReq!.seq);
    expect(exchangeOf(index, stdinReq!).pair?.seq).toBe(stdoutRes!.seq);
    expect(exchangeOf(index, stdoutRes!).pair?.seq).toBe(stdinReq!.seq);
    const ex = exchangeOf(index, stdinReq!);
    expect(ex.frames.map((f) => f.leg)).toEqual([
      'client→proxy',
      'proxy→server',
      'server→proxy',
      'proxy→client',
    ]);
    expect(ex.complete).toBe(true);
  });

  it('tells sessions, id types and reused ids apart', () => {
    const a = toolCall(1, 1, 'session-a');
    const b = toolCall(5, 1, 'session-b');
    const text = toolCall(9, '1', 'session-a');
    const again = toolCall(13, 1, 'session-a'); // id reused after the first call ended
    const index = held(...a, ...b, ...text, ...again);
    expect(exchangeOf(index, index.bySeq(1)!).pair?.seq).toBe(4);
    expect(exchangeOf(index, index.bySeq(5)!).pair?.seq).toBe(8);
    expect(exchangeOf(index, index.bySeq(9)!).pair?.seq).toBe(12);
    expect(exchangeOf(index, index.bySeq(16)!).pair?.seq).toBe(13);
    expect(exchangeOf(index, index.bySeq(13)!).frames.map((f) => f.seq)).toEqual([13, 14, 15, 16]);
  });

  it('keeps a server’s own request (sampling) apart from a client request with the same id', () => {
    const s = 'session-a';
    const index = held(
      frame(1, { sessionId: s, leg: 'client→proxy', kind: 'request', method: 'tools/call', rpcId: 1 }),
      frame(2, { sessionId: s, leg: 'proxy→server', kind: 'request', method: 'tools/call', rpcId: 1 }),
      frame(3, {
        sessionId: s,
        leg: 'server→proxy',
        kind: 'request',
        method: 'sampling/createMessage',
        rpcId: 1,
      }),
      frame(4, {
        sessionId: s,
        leg: 'proxy→client',
        kind: 'request',
        method: 'sampling/createMessage',
        rpcId: 1,
      }),
      frame(5, { sessionId: s, leg: 'client→proxy', kind: 'response', method: undefined, rpcId: 1 }),
      frame(6, { sessionId: s, leg: 'proxy→server', kind: 'response', method: undefined, rpcId: 1 }),
      frame(7, { sessionId: s, leg: 'server→proxy', kind: 'response', method: undefined, rpcId: 1 }),
      frame(8, { sessionId: s, leg: 'proxy→client', kind: 'error', method: undefined, rpcId: 1 }),
    );
    expect(exchangeOf(index, index.bySeq(1)!).frames.map((f) => f.seq)).toEqual([1, 2, 7, 8]);
    expect(exchangeOf(index, index.bySeq(1)!).pair?.seq).toBe(8);
    expect(exchangeOf(index, index.bySeq(4)!).frames.map((f) => f.seq)).toEqual([3, 4, 5, 6]);
    expect(exchangeOf(index, index.bySeq(4)!).pair?.seq).toBe(5);
    expect(exchangeOf(index, index.bySeq(6)!).pair?.seq).toBe(3);
  });

  it('reports a request still waiting as incomplete, and frames without ids alone', () => {
    const [req, stdin] = toolCall(1, 3);
    const index = held(req!, stdin!);
    const ex = exchangeOf(index, index.bySeq(1)!);
    expect(ex.pair).toBeUndefined();
    expect(ex.complete).toBe(false);
    const note = held(frame(1));
    expect(exchangeOf(note, note.bySeq(1)!)).toMatchObject({ pair: undefined, complete: true });
  });
});
