import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { webSocketTransport } from './ws-transport';

/** A socket that opens, fails and closes when the test says. */
class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onclose: ((e?: { code: number }) => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string): void {
    this.sent.push(text);
  }
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  close(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

const real = globalThis.WebSocket;
beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
  globalThis.WebSocket = FakeSocket as unknown as typeof WebSocket;
});
afterEach(() => {
  vi.useRealTimers();
  globalThis.WebSocket = real;
});

describe('the WebSocket transport', () => {
  it('fails a call made while the link is down, and never sends it later', async () => {
    const t = webSocketTransport('ws://x/api');
    const call = t.call('servers.delete', { id: 'a' });
    FakeSocket.all[0]!.close(); // the first attempt fails
    expect(await call).toMatchObject({ ok: false, error: { code: 'disconnected' } });
    await vi.advanceTimersByTimeAsync(300);
    FakeSocket.all[1]!.open();
    expect(FakeSocket.all[1]!.sent).toEqual([]); // the delete the user was told failed does not run
  });

  it('resyncs after a drop, and after calls failed before the first open', async () => {
    const t = webSocketTransport('ws://x/api');
    const resyncs = vi.fn();
    t.onReconnect(resyncs);
    void t.call('servers.list', undefined);
    FakeSocket.all[0]!.close();
    await vi.advanceTimersByTimeAsync(300);
    FakeSocket.all[1]!.open();
    expect(resyncs).toHaveBeenCalledTimes(1); // the failed first load runs again
    FakeSocket.all[1]!.close();
    await vi.advanceTimersByTimeAsync(600);
    FakeSocket.all[2]!.open();
    expect(resyncs).toHaveBeenCalledTimes(2);
  });

  it('sends calls queued before the first open once it opens, without a resync', () => {
    const t = webSocketTransport('ws://x/api');
    const resyncs = vi.fn();
    t.onReconnect(resyncs);
    void t.call('servers.list', undefined);
    FakeSocket.all[0]!.open();
    expect(FakeSocket.all[0]!.sent.map((m) => (JSON.parse(m) as { name: string }).name)).toEqual([
      'servers.list',
    ]);
    expect(resyncs).not.toHaveBeenCalled();
  });

  it('sends the launch token before anything else on every connect', async () => {
    const t = webSocketTransport('ws://x/api', 'tok-1');
    void t.call('servers.list', undefined);
    FakeSocket.all[0]!.open();
    expect(FakeSocket.all[0]!.sent.map((m) => (JSON.parse(m) as { t: string }).t)).toEqual(['auth', 'call']);
    expect(JSON.parse(FakeSocket.all[0]!.sent[0]!)).toEqual({ t: 'auth', token: 'tok-1' });
    FakeSocket.all[0]!.close();
    await vi.advanceTimersByTimeAsync(300);
    FakeSocket.all[1]!.open();
    expect(JSON.parse(FakeSocket.all[1]!.sent[0]!)).toEqual({ t: 'auth', token: 'tok-1' });
  });

  it('stops retrying when the token is refused, and says what to do', async () => {
    const t = webSocketTransport('ws://x/api', 'stale');
    const call = t.call('servers.list', undefined);
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.close(4401);
    expect(await call).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeSocket.all).toHaveLength(1);
    const later = await t.call('servers.list', undefined);
    expect(!later.ok && later.error.message).toContain('patchbay serve');
  });

  it('tells its health: connecting, connected, lost on a drop (calls fail at once), refused on a stale token', async () => {
    const t = webSocketTransport('ws://x/api', 'tok');
    const seen: string[] = [];
    t.onHealth((h) => seen.push(h));
    expect(t.health()).toBe('connecting');
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.close();
    expect(t.health()).toBe('lost');
    const during = await t.call('servers.stop', { id: 'a' });
    expect(during).toMatchObject({ ok: false, error: { code: 'disconnected' } });
    await vi.advanceTimersByTimeAsync(300);
    FakeSocket.all[1]!.open();
    expect(FakeSocket.all[1]!.sent.map((m) => (JSON.parse(m) as { t: string }).t)).toEqual(['auth']); // the stop never runs
    FakeSocket.all[1]!.close(4401);
    expect(seen).toEqual(['connected', 'lost', 'connected', 'refused']);
  });
});
