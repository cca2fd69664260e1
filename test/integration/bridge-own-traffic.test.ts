// UI.md "What the engine does on its own is visible, and kept apart": the legacy session the
// 2026-07-28 bridge keeps is opened by Patchbay, so its initialize, notifications/initialized
// and resources/subscribe|unsubscribe (and their answers) are Patchbay's frames (`by:
// 'patchbay'`), while a modern client's request, and the legacy call it became, are not.
import { afterEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../src/shared/frames';
import { fixtureConfig } from '../support/engine-client';
import { BOTH, cleanupAll, onCleanup, postRpc, serve, sseMessages, stream } from '../support/http-wire';
import { until } from '../support/processes';

afterEach(cleanupAll);

const envelope = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'modern-raw', version: '1' },
};
const modernHeaders = (method: string, name?: string) => ({
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': method,
  ...(name ? { 'mcp-name': name } : {}),
});

/** The JSON-RPC message a frame carries (an SSE frame's data line, or the body / stdio line). */
function messageOf(f: Frame): Record<string, unknown> | undefined {
  if (f.kind === 'note' || f.kind === 'noise') return undefined;
  const data = f.transport === 'sse' ? sseMessages(f.raw)[0]?.msg : undefined;
  if (data) return data;
  try {
    return JSON.parse(f.raw) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

describe.each(['isolated', 'shared'] as const)('the bridge marks its own traffic (%s)', (mode) => {
  it(
    "the pooled session's initialize, initialized and subscriptions are Patchbay's; the client's request is not",
    { timeout: 30_000 },
    async () => {
      const { port, runtime } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000 });
      const call = await postRpc(
        port,
        {
          jsonrpc: '2.0',
          id: 'modern-1',
          method: 'tools/call',
          params: { name: 'echo', arguments: { text: 'own?' }, _meta: envelope },
        },
        modernHeaders('tools/call', 'echo'),
      );
      expect(call.status).toBe(200);
      expect(call.body).toContain('own?');

      // A listen naming a resource: Patchbay subscribes the pooled session, and unsubscribes
      // it when the listen closes.
      const listen = stream(port, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: BOTH,
          ...modernHeaders('subscriptions/listen'),
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 'L1',
          method: 'subscriptions/listen',
          params: { _meta: envelope, notifications: { resourceSubscriptions: ['fixture://a'] } },
        }),
      });
      onCleanup(() => listen.destroy());
      await listen.waitFor((b) => b.includes('notifications/subscriptions/acknowledged'), 10_000, 'the ack');
      const stdio = () =>
        runtime.frames
          .since(0)
          .filter((f) => f.transport === 'stdio')
          .map((f) => ({ f, msg: messageOf(f) }));
      await until(
        () => stdio().some(({ msg }) => msg?.['method'] === 'resources/subscribe'),
        10_000,
        'resources/subscribe on stdio',
      );
      listen.destroy();
      await until(
        () => stdio().some(({ msg }) => msg?.['method'] === 'resources/unsubscribe'),
        10_000,
        'resources/unsubscribe on stdio',
      );
      // Its answer too (the tap marks the answer to an own request when it pairs them).
      await until(
        () => stdio().filter(({ f }) => f.leg === 'server→proxy' && f.by === 'patchbay').length >= 3,
        10_000,
        'the answers to initialize, subscribe and unsubscribe',
      );

      const frames = runtime.frames.since(0);
      const all = frames.map((f) => ({ f, msg: messageOf(f) }));
      const bridgeInit = all.find(
        ({ f, msg }) =>
          f.leg === 'proxy→server' &&
          msg?.['method'] === 'initialize' &&
          JSON.stringify(msg['params']).includes('patchbay-bridge'),
      );
      expect(bridgeInit, 'the bridge initialize on stdio').toBeDefined();
      expect(bridgeInit!.f.by).toBe('patchbay');
      const initAnswer = all.find(
        ({ f, msg }) =>
          f.leg === 'server→proxy' &&
          msg?.['id'] === bridgeInit!.msg!['id'] &&
          (msg?.['result'] !== undefined || msg?.['error'] !== undefined),
      );
      expect(initAnswer?.f.by).toBe('patchbay');
      for (const method of ['notifications/initialized', 'resources/subscribe', 'resources/unsubscribe']) {
        const sent = all.filter(({ f, msg }) => f.leg === 'proxy→server' && msg?.['method'] === method);
        expect(sent.length, method).toBeGreaterThan(0);
        for (const { f } of sent) expect(f.by, method).toBe('patchbay');
      }

      // The client's modern request as it sent it and its answer: the client's traffic.
      const modernFrames = all.filter(
        ({ f, msg }) => (f.transport === 'http' || f.transport === 'sse') && msg?.['id'] === 'modern-1',
      );
      expect(modernFrames.map(({ f }) => f.leg)).toEqual(['client→proxy', 'proxy→client']);
      for (const { f } of modernFrames) expect(f.by).toBeUndefined();
      // The legacy call it became on the pooled session (and the server's answer): on its behalf.
      const legacyCall = all.filter(
        ({ f, msg }) =>
          f.transport === 'stdio' &&
          ((msg?.['method'] === 'tools/call' &&
            (msg['params'] as { name?: string } | undefined)?.name === 'echo') ||
            JSON.stringify(msg?.['result'] ?? '').includes('own?')),
      );
      expect(legacyCall.map(({ f }) => f.leg)).toEqual(['proxy→server', 'server→proxy']);
      for (const { f } of legacyCall) expect(f.by).toBeUndefined();
    },
  );
});
