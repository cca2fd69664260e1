import { describe, expect, it } from 'vitest';
import { compileFilter, parseFilter } from './frame-filter';
import { formatId, fullId } from './frame-format';
import { FrameIndex } from './frame-index';
import { startsOpen } from './JsonTree';
import { requestMethodOf } from './request-methods';
import { frame, toolCall } from './test-frames';

const progress = (seq: number, token: string | number, leg: 'server→proxy' | 'proxy→client') =>
  frame(seq, {
    leg,
    kind: 'notification',
    method: 'notifications/progress',
    raw: JSON.stringify({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: token, progress: 1 },
    }),
  });

describe('answers carry their request’s method', () => {
  it('marks responses on both sides and progress by token; method:tools/call shows the whole call', () => {
    const index = new FrameIndex();
    const call = toolCall(1, 'patchbay-call-0001');
    // The request asks for progress.
    for (const f of call.slice(0, 2))
      f.raw = f.raw.replace('"params":{', '"params":{"_meta":{"progressToken":"tok-1"},');
    const list = [
      call[0]!,
      call[1]!,
      progress(3, 'tok-1', 'server→proxy'),
      progress(4, 'tok-1', 'proxy→client'),
      progress(5, 'other', 'proxy→client'),
      { ...call[2]!, seq: 6 },
      { ...call[3]!, seq: 7 },
      // A ping's answer with another id is not part of the call.
      frame(8, {
        kind: 'response',
        method: undefined,
        rpcId: 99,
        leg: 'proxy→client',
        raw: '{"jsonrpc":"2.0","id":99,"result":{}}',
      }),
    ];
    index.append(list);
    index.setFilter(compileFilter(parseFilter('method:tools/call')));
    expect([...index.viewFrames()].map((f) => f.seq)).toEqual([1, 2, 3, 4, 6, 7]);
    expect(requestMethodOf(index.bySeq(6)!)).toBe('tools/call');
    expect(requestMethodOf(index.bySeq(7)!)).toBe('tools/call');
    expect(requestMethodOf(index.bySeq(5)!)).toBeUndefined();
    expect(requestMethodOf(index.bySeq(8)!)).toBeUndefined();
    // Negated, the answers go too.
    index.setFilter(compileFilter(parseFilter('-method:tools/call')));
    expect([...index.viewFrames()].map((f) => f.seq)).toEqual([5, 8]);
  });

  it('does not take an answer of the other direction (a server’s request with the same id)', () => {
    const index = new FrameIndex();
    index.append([
      frame(1, { leg: 'proxy→client', kind: 'request', method: 'sampling/createMessage', rpcId: 0 }),
      frame(2, { leg: 'client→proxy', kind: 'request', method: 'tools/call', rpcId: 0 }),
      frame(3, { leg: 'proxy→client', kind: 'response', method: undefined, rpcId: 0 }),
      frame(4, { leg: 'client→proxy', kind: 'response', method: undefined, rpcId: 0 }),
    ]);
    expect(requestMethodOf(index.bySeq(3)!)).toBe('tools/call');
    expect(requestMethodOf(index.bySeq(4)!)).toBe('sampling/createMessage');
  });
});

describe('formatId', () => {
  it('shows a long string id by its tail and the whole id on hover', () => {
    expect(formatId('patchbay-probe-000123')).toBe('#…"e-000123"');
    expect(formatId('abc')).toBe('#"abc"');
    expect(formatId(7)).toBe('#7');
    expect(fullId('patchbay-probe-000123')).toBe('id "patchbay-probe-000123"');
  });
});

describe('startsOpen (the JSON tree)', () => {
  it('opens the first two levels, then small nodes down to result.content[0], within a budget', () => {
    const budget = { left: 400 };
    expect(startsOpen(0, 3, budget)).toBe(true); // the message
    expect(startsOpen(1, 1, budget)).toBe(true); // result
    expect(startsOpen(2, 1, budget)).toBe(true); // content
    expect(startsOpen(3, 2, budget)).toBe(true); // content[0]
    expect(startsOpen(3, 500, budget)).toBe(false); // a big array deep down stays closed
    expect(startsOpen(1, 300, { left: 100 })).toBe(false); // past the budget
    expect(startsOpen(6, 1, { left: 400 })).toBe(false);
  });
});
