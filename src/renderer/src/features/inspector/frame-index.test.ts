import { describe, expect, it } from 'vitest';
import { compileFilter, parseFilter } from './frame-filter';
import { FrameIndex } from './frame-index';
import { frame, toolCall } from './test-frames';

const seqs = (index: FrameIndex) => [...index.viewFrames()].map((f) => f.seq);
const filter = (text: string) => compileFilter(parseFilter(text));

describe('FrameIndex', () => {
  it('appends each seq once: a snapshot and live batches that overlap make no duplicate', () => {
    const index = new FrameIndex();
    expect(index.append([frame(1), frame(2), frame(3)])).toBe(3);
    expect(index.append([frame(2), frame(3), frame(4)])).toBe(1);
    expect(index.append([frame(4)])).toBe(0);
    expect(seqs(index)).toEqual([1, 2, 3, 4]);
    expect(index.lastSeq).toBe(4);
    expect(index.bySeq(3)?.seq).toBe(3);
  });

  it('tests only new frames against the filter, and rebuilds once on a filter change', () => {
    const index = new FrameIndex();
    let tested = 0;
    const counting = (test: ReturnType<typeof filter>) => (f: Parameters<typeof test>[0]) => {
      tested++;
      return test(f);
    };
    index.setFilter(counting(filter('method:tools/call')));
    index.append([...toolCall(1, 1), ...toolCall(5, 2)]);
    expect(tested).toBe(8);
    // The responses belong to the calls (they carry no method; paired by id).
    expect(seqs(index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    index.append(toolCall(9, 3));
    expect(tested).toBe(12); // four new frames, four tests
    expect(seqs(index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

    tested = 0;
    index.setFilter(counting(filter('leg:out')));
    expect(tested).toBe(12); // one pass over what is held
    expect(seqs(index)).toEqual([4, 8, 12]);
  });

  it('drops the oldest past the cap, from the list, the map and the view', () => {
    const index = new FrameIndex(5);
    index.setFilter((f) => f.seq % 2 === 0);
    index.append([1, 2, 3, 4].map((s) => frame(s)));
    index.append([5, 6, 7, 8].map((s) => frame(s)));
    expect(index.size).toBe(5);
    expect(index.dropped).toBe(3);
    expect(index.bySeq(3)).toBeUndefined();
    expect(index.bySeq(4)?.seq).toBe(4);
    expect(seqs(index)).toEqual([4, 6, 8]);
    expect(index.viewAt(0)?.seq).toBe(4);
    // A filter rebuild after drops still maps positions right.
    index.setFilter(() => true);
    expect(seqs(index)).toEqual([4, 5, 6, 7, 8]);
    // One huge batch: only the newest cap frames stay.
    index.append(Array.from({ length: 20 }, (_, i) => frame(9 + i)));
    expect(seqs(index)).toEqual([24, 25, 26, 27, 28]);
    expect(index.dropped).toBe(23);
  });

  it('holds up to twice the cap while paused, so the rows on screen stay; resuming trims back', () => {
    const index = new FrameIndex(4);
    index.append([frame(1), frame(2), frame(3), frame(4)]);
    index.hold(true);
    index.append([frame(5), frame(6), frame(7), frame(8)]);
    expect(seqs(index)[0]).toBe(1); // nothing dropped from under a paused view
    index.append([frame(9)]);
    expect(seqs(index)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]); // bounded all the same
    index.hold(false);
    expect(seqs(index)).toEqual([6, 7, 8, 9]);
    expect(index.dropped).toBe(5);
  });

  it('finds view positions by seq (what a paused list shows)', () => {
    const index = new FrameIndex();
    index.setFilter((f) => f.seq % 10 !== 5);
    index.append([1, 2, 3, 5, 8, 13, 21].map((s) => frame(s)));
    // The view is 1 2 3 8 13 21 (5 filtered out).
    expect(index.viewIndexOfSeq(8)).toBe(3);
    expect(index.viewIndexOfSeq(5)).toBe(3); // lower bound
    expect(index.viewIndexOfSeq(100)).toBe(6);
    expect(index.viewCountUpTo(5)).toBe(3);
    expect(index.viewCountUpTo(13)).toBe(5);
    expect(index.viewCountUpTo(0)).toBe(0);
  });

  it('clears without forgetting lastSeq; reset starts over', () => {
    const index = new FrameIndex();
    index.append([frame(1), frame(2)]);
    index.clear();
    expect(index.size).toBe(0);
    expect(index.viewLength).toBe(0);
    expect(index.append([frame(2)])).toBe(0); // the engine keeps numbering after a clear
    expect(index.append([frame(3)])).toBe(1);
    expect(seqs(index)).toEqual([3]);
    expect(index.bySeq(3)?.seq).toBe(3);
    index.reset();
    expect(index.append([frame(1)])).toBe(1);
  });

  it('interns repeated strings and keeps a bounded list of sessions', () => {
    const index = new FrameIndex();
    const a = frame(1, { sessionId: 'x'.repeat(10) });
    const b = frame(2, { sessionId: 'xxxxx' + 'xxxxx' });
    index.append([a, b]);
    expect(index.bySeq(2)?.sessionId).toBe(index.bySeq(1)?.sessionId);
    index.append(Array.from({ length: 300 }, (_, i) => frame(3 + i, { sessionId: `s${i}` })));
    expect(index.sessions()).toHaveLength(200);
    expect(index.sessions().at(-1)).toBe('s299');
  });

  it('walks out from a frame, bounded', () => {
    const index = new FrameIndex();
    index.append([1, 2, 3, 4, 5].map((s) => frame(s)));
    expect(index.walk(3, 1, 10, (f) => f.seq === 5)?.seq).toBe(5);
    expect(index.walk(3, -1, 10, (f) => f.seq === 1)?.seq).toBe(1);
    expect(index.walk(3, 1, 1, (f) => f.seq === 5)).toBeUndefined();
    expect(index.walk(99, 1, 10, () => true)).toBeUndefined();
  });
});
