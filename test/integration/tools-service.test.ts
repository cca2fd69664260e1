import type { ToolOutcome, ToolProgress, ToolServerRequest } from '@shared/tools';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureConfig } from '../support/engine-client';
import { ServerRuntime } from '../../src/main/core/routing/server-runtime';
import { ToolsService } from '../../src/main/core/tools/tools-service';

/** Resolves with the first event of `name` that matches, within a deadline. */
function nextEvent<T>(
  service: ToolsService,
  name: 'progress' | 'result' | 'request',
  match: (e: T) => boolean,
) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} event`)), 10_000);
    const on = (e: T) => {
      if (!match(e)) return;
      clearTimeout(timer);
      service.off(name, on as never);
      resolve(e);
    };
    service.on(name, on as never);
  });
}

const text = (o: ToolOutcome) =>
  o.ok ? (o.result.content?.[0] as { text?: string } | undefined)?.text : undefined;

describe.each(['isolated', 'shared'] as const)('ToolsService (%s)', (mode) => {
  let runtime: ServerRuntime;
  let service: ToolsService;

  const setUp = async (idleMs?: number) => {
    runtime = new ServerRuntime(fixtureConfig(mode, { id: 'fx' }));
    await runtime.start();
    service = new ToolsService((id) => (id === 'fx' ? runtime : undefined), idleMs ? { idleMs } : {});
  };
  const toolSessions = () =>
    runtime.listSessions().filter((s) => s.client.clientInfo?.name === 'patchbay-tools');
  afterEach(async () => {
    await service?.close();
    await runtime?.stop();
  });

  it('lists the catalog through a session marked as Patchbay’s own, and calls a tool', async () => {
    await setUp();
    const catalog = await service.catalog('fx');
    expect(catalog.tools.map((t) => t.name)).toContain('echo');
    expect(catalog.resources.map((r) => r.uri)).toEqual(['fixture://a', 'fixture://b']);
    expect(catalog.errors).toEqual([]);
    expect(catalog.serverInfo?.name).toBe('patchbay-fixture');

    const { callId } = await service.call('fx', 'echo', { text: 'hi there' });
    const outcome = await nextEvent<ToolOutcome>(service, 'result', (e) => e.callId === callId);
    expect(text(outcome)).toBe('hi there');

    // Every frame of the session is Patchbay's: requests, answers, the initialized notification.
    const ours = runtime.frames
      .since(0)
      .filter(
        (f) =>
          f.method === 'tools/list' || f.method === 'tools/call' || f.method === 'notifications/initialized',
      );
    expect(ours.length).toBeGreaterThanOrEqual(3);
    expect(ours.every((f) => f.by === 'patchbay')).toBe(true);
    const answers = runtime.frames
      .since(0)
      .filter((f) => f.kind === 'response' && f.raw.includes('hi there'));
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((f) => f.by === 'patchbay')).toBe(true);
    // The session shows with Patchbay's clientInfo.
    expect(runtime.listSessions().some((s) => s.client.clientInfo?.name === 'patchbay-tools')).toBe(true);
  });

  it('forwards progress and cancels a running call (the server hears notifications/cancelled)', async () => {
    await setUp();
    const { callId } = await service.call('fx', 'slow', { ms: 60_000, steps: 600 });
    const progress = await nextEvent<ToolProgress>(service, 'progress', (e) => e.callId === callId);
    expect(progress.total).toBe(600);
    expect(progress.message).toMatch(/^step \d+ of 600$/);
    const ended = nextEvent<ToolOutcome>(service, 'result', (e) => e.callId === callId);
    expect(service.cancel('fx', callId)).toBe(true);
    const outcome = await ended;
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.cancelled).toBe(true);
    const seen = await service.call('fx', 'cancelled', {});
    const seenOutcome = await nextEvent<ToolOutcome>(service, 'result', (e) => e.callId === seen.callId);
    expect(JSON.parse(text(seenOutcome) ?? '[]')).toHaveLength(1);
  });

  it('hands an elicitation to the window and sends its answer back', async () => {
    await setUp();
    const asked = nextEvent<ToolServerRequest>(service, 'request', () => true);
    const { callId } = await service.call('fx', 'elicit', { message: 'Your name?' });
    const request = await asked;
    expect(request.method).toBe('elicitation/create');
    expect(request.params['message']).toBe('Your name?');
    expect(request.callId).toBe(callId);
    const done = nextEvent<ToolOutcome>(service, 'result', (e) => e.callId === callId);
    expect(
      service.answer('fx', request.requestId, { result: { action: 'accept', content: { name: 'Ada' } } }),
    ).toBe(true);
    expect(JSON.parse(text(await done) ?? '{}')).toEqual({ action: 'accept', content: { name: 'Ada' } });
    expect(service.answer('fx', request.requestId, { result: {} })).toBe(false); // only once
  });

  it('forgets a question whose call was cancelled before it was answered', async () => {
    await setUp();
    const asked = nextEvent<ToolServerRequest>(service, 'request', () => true);
    const { callId } = await service.call('fx', 'elicit', { message: 'Never answered' });
    const request = await asked;
    const ended = nextEvent<ToolOutcome>(service, 'result', (e) => e.callId === callId);
    expect(service.cancel('fx', callId)).toBe(true);
    await ended;
    expect(service.answer('fx', request.requestId, { result: { action: 'decline' } })).toBe(false);
  });

  it('fails a running call when the server stops, and says to start it', async () => {
    await setUp();
    const { callId } = await service.call('fx', 'hang', {});
    const ended = nextEvent<ToolOutcome>(service, 'result', (e) => e.callId === callId);
    await runtime.stop();
    const outcome = await ended;
    expect(outcome.ok).toBe(false);
    await expect(service.catalog('fx')).rejects.toThrow(/not running|stopped/i);
    await expect(service.catalog('nope')).rejects.toThrow('Start the server to use its tools');
  });

  it('closes its session after sitting idle, and opens a new one when used again', async () => {
    await setUp(150);
    await service.catalog('fx');
    expect(toolSessions()).toHaveLength(1);
    const first = toolSessions()[0]!.id;
    await expect.poll(() => toolSessions().length, { timeout: 10_000 }).toBe(0);
    await service.catalog('fx');
    expect(toolSessions().map((s) => s.id)).not.toContain(first);
    expect(toolSessions()).toHaveLength(1);
  });
});
