import type { ApiResult } from '@shared/contract';
import { ErrorCode } from '@shared/error-codes';
import type { Frame } from '@shared/frames';
import type { ServerStatus } from '@shared/status';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { frame } from './test-frames';

// The store talks to the engine through `api`; here a fake engine answers and pushes.
type Answer = (name: string, args: unknown) => Promise<ApiResult<unknown>>;
const engine = vi.hoisted(() => {
  const answer: Answer = () => Promise.resolve({ ok: true, value: null });
  return {
    calls: [] as { name: string; args: unknown }[],
    listeners: new Map<string, (payload: unknown) => void>(),
    answer,
  };
});
const fakeApi = {
  call: (name: string, args: unknown) => {
    engine.calls.push({ name, args });
    return engine.answer(name, args);
  },
  on: (name: string, listener: (payload: unknown) => void) => {
    engine.listeners.set(name, listener);
    return () => {};
  },
  onReconnect: () => () => {},
};
const serversStore = createStore<{ statuses: Record<string, Partial<ServerStatus>> }>(() => ({
  statuses: {},
}));
// Publishing waits for an animation frame; Node has none.
globalThis.requestAnimationFrame = (cb: FrameRequestCallback) => setTimeout(() => cb(0), 0);

const { clearFrames, connectFrames, frameIndex, framesStore, watchFrames } = await import('./frames-store');
connectFrames(fakeApi as unknown as Parameters<typeof connectFrames>[0], serversStore);

const push = (serverId: string, frames: Frame[], skipped = 0) =>
  engine.listeners.get('frames.batch')!({ serverId, frames, skipped });
const seqs = () => [...frameIndex.viewFrames()].map((f) => f.seq);
const nextFrame = () => new Promise((r) => setTimeout(r, 5));
const frames = (...s: number[]) => s.map((n) => frame(n));

describe('frames-store', () => {
  beforeEach(async () => {
    engine.calls.length = 0;
    engine.answer = () => Promise.resolve({ ok: true, value: { items: [], lastSeq: 0 } });
    await watchFrames('other'); // each test starts from an empty view of a fresh server
    engine.calls.length = 0;
  });

  it('after a reconnect to a restarted Patchbay (a new run), starts over with the new run', async () => {
    engine.answer = () =>
      Promise.resolve({ ok: true, value: { items: frames(1, 2, 3), lastSeq: 3, run: 'r1' } });
    await watchFrames('srv');
    await nextFrame();
    expect(seqs()).toEqual([1, 2, 3]);
    // The new run has fewer frames than this page held: its seqs would all look old.
    engine.answer = (_name, args) => {
      expect(args).toMatchObject({ afterSeq: 3, run: 'r1' });
      return Promise.resolve({ ok: true, value: { items: frames(1), lastSeq: 1, run: 'r2' } });
    };
    await watchFrames('srv');
    push('srv', frames(2));
    await nextFrame();
    // The old run's frames are gone, the new run's are all there.
    expect(seqs()).toEqual([1, 2]);
    expect(frameIndex.lastSeq).toBe(2);
  });

  it('shows the snapshot, then the live batches that came while it was on its way: no gap, no duplicate', async () => {
    let release!: (r: ApiResult<unknown>) => void;
    engine.answer = () => new Promise((r) => (release = r));
    const watching = watchFrames('srv');
    push('srv', frames(3, 4, 5)); // live, before the snapshot answer
    push('srv', frames(6));
    release({ ok: true, value: { items: frames(1, 2, 3, 4), lastSeq: 4 } });
    await watching;
    expect(seqs()).toEqual([1, 2, 3, 4, 5, 6]);
    push('srv', frames(6, 7));
    push('another-server', frames(8));
    expect(seqs()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(engine.calls.find((c) => c.name === 'frames.subscribe')).toEqual({
      name: 'frames.subscribe',
      args: { id: 'srv', afterSeq: 0 },
    });
    await nextFrame();
    expect(framesStore.getState()).toMatchObject({
      serverId: 'srv',
      lastSeq: 7,
      version: frameIndex.version,
    });
  });

  it('resubscribes from where it left off, and counts what the engine skipped', async () => {
    await watchFrames('srv');
    push('srv', frames(1, 2, 3));
    push('srv', frames(10), 6);
    await nextFrame();
    expect(framesStore.getState().skipped).toBe(6);
    await watchFrames('srv'); // a reconnect, or the tab opened again
    expect(engine.calls.at(-1)).toEqual({ name: 'frames.subscribe', args: { id: 'srv', afterSeq: 10 } });
    expect(seqs()).toEqual([1, 2, 3, 10]);
  });

  it('switching servers unsubscribes the old one and starts empty', async () => {
    await watchFrames('srv');
    push('srv', frames(1, 2));
    const epoch = framesStore.getState().epoch;
    await watchFrames('srv2');
    expect(engine.calls.map((c) => c.name)).toContain('frames.unsubscribe');
    expect(seqs()).toEqual([]);
    expect(framesStore.getState().epoch).toBe(epoch + 1);
  });

  it('clear forgets the frames but keeps counting from the engine’s seq', async () => {
    await watchFrames('srv');
    push('srv', frames(1, 2, 3));
    expect(await clearFrames('srv')).toBe(true);
    expect(engine.calls.at(-1)).toEqual({ name: 'frames.clear', args: { id: 'srv' } });
    expect(seqs()).toEqual([]);
    push('srv', frames(3, 4));
    expect(seqs()).toEqual([4]);
    engine.answer = () =>
      Promise.resolve({ ok: false, error: { code: ErrorCode.Internal, message: 'engine said no' } });
    expect(await clearFrames('srv')).toBe(false);
    expect(framesStore.getState().error).toContain('engine said no');
  });

  it('a new run of the server (stopped, then started) starts over from seq 1', async () => {
    await watchFrames('srv');
    push('srv', frames(1, 2, 3));
    const status = (url?: string) =>
      ({ id: 'srv', state: { status: 'running', since: 0 }, sessions: [], url }) as ServerStatus;
    serversStore.setState({ statuses: { srv: status() } }); // stopped: no URL
    serversStore.setState({ statuses: { srv: status('http://127.0.0.1:7301/mcp') } });
    await nextFrame();
    expect(engine.calls.at(-1)).toEqual({ name: 'frames.subscribe', args: { id: 'srv', afterSeq: 0 } });
    push('srv', frames(1, 2));
    expect(seqs()).toEqual([1, 2]);
  });
});
