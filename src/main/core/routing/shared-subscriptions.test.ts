import { describe, expect, it } from 'vitest';
import { MAX_SUBSCRIPTIONS, SharedSubscriptions } from './shared-subscriptions';

const session = () => ({ subscriptions: new Set<string>() });

describe('SharedSubscriptions', () => {
  it('asks the server for the first subscriber and tells it when the last one leaves', () => {
    const subs = new SharedSubscriptions<ReturnType<typeof session>>();
    const a = session();
    const b = session();
    expect(subs.subscribe(a, 'r://1')).toBe('first');
    expect(subs.subscribe(b, 'r://1')).toBe('joined');
    expect([...subs.of('r://1')]).toEqual([a, b]);
    expect(subs.unsubscribe(a, 'r://1')).toBe(false);
    expect(subs.unsubscribe(a, 'r://1')).toBe(false); // not held: nothing to tell
    expect(subs.subscribe(a, 'r://2')).toBe('first');
    expect(subs.uris).toEqual(['r://1', 'r://2']);
    expect(subs.release(b)).toEqual(['r://1']);
    expect(subs.unsubscribe(a, 'r://2')).toBe(true);
    expect(subs.uris).toEqual([]);
  });

  it('refuses past the per-session bound, but not a URI already held', () => {
    const subs = new SharedSubscriptions<ReturnType<typeof session>>();
    const a = session();
    for (let i = 0; i < MAX_SUBSCRIPTIONS; i++) subs.subscribe(a, `r://${i}`);
    expect(subs.subscribe(a, 'r://0')).toBe('joined');
    expect(subs.subscribe(a, 'r://more')).toBe('refused');
    expect(a.subscriptions.size).toBe(MAX_SUBSCRIPTIONS);
    expect(subs.subscribe(session(), 'r://more')).toBe('first'); // the bound is per session
  });
});
