import { describe, expect, it } from 'vitest';
import { EventStore, parseEventId } from './event-store';

describe('EventStore', () => {
  it('replays only the events of the named stream after the given id', () => {
    const store = new EventStore({ maxEvents: 100, maxBytes: 1e6 });
    const g1 = store.add('g', '{"n":1}');
    store.add('p1', '{"n":2}');
    store.add('g', '{"n":3}');
    store.add('p1', '{"n":4}');
    store.add('g', '{"n":5}');
    const replay = store.after(g1)!;
    expect(replay.streamId).toBe('g');
    expect(replay.events.map((e) => e.json)).toEqual(['{"n":3}', '{"n":5}']);
    expect(store.after('p1.2')!.events.map((e) => e.json)).toEqual(['{"n":4}']);
  });

  it('refuses ids it never issued', () => {
    const store = new EventStore({ maxEvents: 10, maxBytes: 1e6 });
    store.add('g', '{}');
    expect(store.after('g.99')).toBeUndefined();
    expect(store.after('nonsense')).toBeUndefined();
    expect(parseEventId('.3')).toBeUndefined();
    expect(parseEventId('a.b.7')).toEqual({ streamId: 'a.b', seq: 7 });
  });

  it('stays within its count and byte bounds', () => {
    const store = new EventStore({ maxEvents: 5, maxBytes: 50 });
    for (let i = 0; i < 1000; i++) store.add('g', `{"i":${i}}`);
    expect(store.size).toBeLessThanOrEqual(5);
    expect(store.after('g.0')!.events.map((e) => e.json)).toEqual(
      ['{"i":995}', '{"i":996}', '{"i":997}', '{"i":998}', '{"i":999}'].slice(-store.size),
    );
    const small = new EventStore({ maxEvents: 100, maxBytes: 20 });
    for (let i = 0; i < 10; i++) small.add('g', 'x'.repeat(8));
    expect(small.size).toBe(2);
  });
});
