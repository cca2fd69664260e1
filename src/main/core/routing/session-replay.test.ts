import { describe, expect, it } from 'vitest';
import { MAX_REPLAYED_SUBSCRIPTIONS, SessionReplay } from './session-replay';

const request = (id: number, method: string, params?: Record<string, unknown>) => ({
  jsonrpc: '2.0' as const,
  id,
  method,
  ...(params ? { params } : {}),
});

describe('SessionReplay', () => {
  it('keeps initialize params, initialized, the last log level and subscriptions minus unsubscribes', () => {
    const r = new SessionReplay();
    expect(r.stateRequests()).toEqual([]);
    r.note(request(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {} }));
    r.note({ jsonrpc: '2.0', method: 'notifications/initialized' });
    r.note(request(2, 'logging/setLevel', { level: 'info' }));
    r.note(request(3, 'logging/setLevel', { level: 'error' }));
    r.note(request(4, 'resources/subscribe', { uri: 'a' }));
    r.note(request(5, 'resources/subscribe', { uri: 'b' }));
    r.note(request(6, 'resources/unsubscribe', { uri: 'a' }));
    r.note(request(7, 'tools/call', { name: 'x' }));
    r.note({ jsonrpc: '2.0', id: 8, result: {} });
    expect(r.initializeParams).toEqual({ protocolVersion: '2025-06-18', capabilities: {} });
    expect(r.initializedSent).toBe(true);
    expect(r.stateRequests()).toEqual([
      { method: 'logging/setLevel', params: { level: 'error' } },
      { method: 'resources/subscribe', params: { uri: 'b' } },
    ]);
  });

  it(`keeps at most ${MAX_REPLAYED_SUBSCRIPTIONS} subscriptions, dropping the oldest`, () => {
    const r = new SessionReplay();
    for (let i = 0; i <= MAX_REPLAYED_SUBSCRIPTIONS; i++)
      r.note(request(i, 'resources/subscribe', { uri: `u${i}` }));
    expect(r.subscriptions.size).toBe(MAX_REPLAYED_SUBSCRIPTIONS);
    expect(r.subscriptions.has('u0')).toBe(false);
    expect(r.subscriptions.has(`u${MAX_REPLAYED_SUBSCRIPTIONS}`)).toBe(true);
    // A resubscribe refreshes: that URI is no longer the oldest.
    r.note(request(9999, 'resources/subscribe', { uri: 'u1' }));
    r.note(request(10000, 'resources/subscribe', { uri: 'new' }));
    expect(r.subscriptions.has('u1')).toBe(true);
    expect(r.subscriptions.has('u2')).toBe(false);
  });
});
