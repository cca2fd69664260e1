// PROTOCOL.md "The 2026-07-28 bridge": subscriptions/listen on a legacy session's
// resources/subscribe and list-changed notifications, and MRTR: a legacy server's request for
// client input during a call becomes an input-required result, answered by the client's retry.
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureConfig } from '../support/engine-client';
import { BOTH, cleanupAll, onCleanup, postRpc, serve, sseMessages, stream } from '../support/http-wire';

afterEach(cleanupAll);

const T = 30_000;

const envelope = (caps: Record<string, unknown> = {}) => ({
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': caps,
  'io.modelcontextprotocol/clientInfo': { name: 'modern-raw', version: '1' },
});

function headers(method: string, name?: string) {
  return {
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
    ...(name ? { 'mcp-name': name } : {}),
  };
}

/** A bridged request; its JSON-RPC response (JSON or SSE body). */
async function ask(
  port: number,
  id: string,
  method: string,
  params: Record<string, unknown>,
  caps: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const x = await postRpc(
    port,
    { jsonrpc: '2.0', id, method, params: { ...params, _meta: envelope(caps) } },
    headers(method, (params['name'] ?? params['uri']) as string | undefined),
  );
  if (String(x.headers['content-type']).startsWith('application/json')) {
    return JSON.parse(x.body) as Record<string, unknown>;
  }
  const found = sseMessages(x.body).find((m) => m.msg['id'] === id && !('method' in m.msg));
  if (!found) throw new Error(`no response ${id} in ${x.body}`);
  return found.msg;
}

const textOf = (r: Record<string, unknown>) =>
  ((r['result'] as { content?: { text?: string }[] }).content ?? []).map((c) => c.text).join('');

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(['isolated', 'shared'] as const)('the bridge, %s mode', (mode) => {
  it(
    'subscriptions/listen: acknowledged, list-changed and resource updates tagged with the listen id; closing unsubscribes',
    async () => {
      const { port } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000 });
      const listen = stream(port, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: BOTH, ...headers('subscriptions/listen') },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 'L1',
          method: 'subscriptions/listen',
          params: {
            _meta: envelope(),
            notifications: { toolsListChanged: true, resourceSubscriptions: ['fixture://a'] },
          },
        }),
      });
      onCleanup(() => listen.destroy());
      await listen.waitFor((b) => b.includes('notifications/subscriptions/acknowledged'), 10_000, 'the ack');
      const ack = sseMessages(listen.text())[0]!.msg;
      expect(ack).toMatchObject({
        method: 'notifications/subscriptions/acknowledged',
        params: {
          notifications: { toolsListChanged: true, resourceSubscriptions: ['fixture://a'] },
          _meta: { 'io.modelcontextprotocol/subscriptionId': 'L1' },
        },
      });
      // The legacy session is subscribed (the fixture only updates subscribed URIs).
      await until('the legacy subscription', async () => {
        const r = await ask(port, `u${Date.now()}`, 'tools/call', {
          name: 'update_resource',
          arguments: { uri: 'fixture://a' },
        });
        return textOf(r) === 'sent' ? true : undefined;
      });
      await ask(port, 'n1', 'tools/call', { name: 'notify_list_changed', arguments: { kind: 'tools' } });
      // Not asked for: never on the stream.
      await ask(port, 'n2', 'tools/call', { name: 'notify_list_changed', arguments: { kind: 'prompts' } });
      await listen.waitFor(
        (b) =>
          b.includes('notifications/tools/list_changed') && b.includes('notifications/resources/updated'),
        10_000,
        'both notifications',
      );
      const notes = sseMessages(listen.text()).map((m) => m.msg);
      for (const n of notes) {
        expect((n['params'] as { _meta: Record<string, unknown> })._meta).toMatchObject({
          'io.modelcontextprotocol/subscriptionId': 'L1',
        });
      }
      expect(notes.map((n) => n['method'])).not.toContain('notifications/prompts/list_changed');
      expect(notes.find((n) => n['method'] === 'notifications/resources/updated')).toMatchObject({
        params: { uri: 'fixture://a' },
      });
      // Closing the listen stream unsubscribes the legacy session.
      listen.destroy();
      await until('the legacy unsubscribe', async () => {
        const r = await ask(port, `v${Date.now()}`, 'tools/call', {
          name: 'update_resource',
          arguments: { uri: 'fixture://a' },
        });
        return textOf(r) === 'not subscribed' ? true : undefined;
      });
    },
    T,
  );

  it(
    'MRTR: elicitation, sampling and roots become input-required results; the retry resumes the held call',
    async () => {
      const { port } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000 });
      const caps = { elicitation: {}, sampling: {}, roots: {} };
      const cases = [
        {
          tool: 'elicit',
          args: { message: 'Name?' },
          method: 'elicitation/create',
          answer: { action: 'accept', content: { name: 'Ada' } },
          expected: 'Ada',
        },
        {
          tool: 'sample',
          args: { prompt: 'hello' },
          method: 'sampling/createMessage',
          answer: { role: 'assistant', model: 'm', content: { type: 'text', text: 'sampled-by-client' } },
          expected: 'sampled: sampled-by-client',
        },
        {
          tool: 'roots',
          args: {},
          method: 'roots/list',
          answer: { roots: [{ uri: 'file:///work', name: 'work' }] },
          expected: 'file:///work',
        },
      ];
      for (const c of cases) {
        const first = await ask(port, `${c.tool}-1`, 'tools/call', { name: c.tool, arguments: c.args }, caps);
        const interim = first['result'] as {
          resultType: string;
          inputRequests: Record<string, { method: string; params: Record<string, unknown> }>;
          requestState: string;
        };
        expect(interim.resultType, c.tool).toBe('input_required');
        const [key, request] = Object.entries(interim.inputRequests)[0]!;
        expect(request.method).toBe(c.method);
        expect(request).not.toHaveProperty('id');
        const retry = await ask(
          port,
          `${c.tool}-2`,
          'tools/call',
          {
            name: c.tool,
            arguments: c.args,
            inputResponses: { [key]: c.answer },
            requestState: interim.requestState,
          },
          caps,
        );
        expect(retry).toMatchObject({ id: `${c.tool}-2`, result: { resultType: 'complete' } });
        expect(textOf(retry)).toContain(c.expected);
      }
      // Without the capability: never an input-required result, but -32021 naming what is
      // missing (both modes: the bridge checks each request's own capabilities).
      const missing = await ask(port, 'm1', 'tools/call', { name: 'elicit', arguments: { message: 'x' } });
      expect(JSON.stringify(missing)).not.toContain('input_required');
      expect(missing).toMatchObject({
        id: 'm1',
        error: { code: -32021, data: { requiredCapabilities: { elicitation: {} } } },
      });
      // A requestState nobody holds: a clear error.
      const stale = await ask(
        port,
        's1',
        'tools/call',
        { name: 'elicit', arguments: {}, inputResponses: {}, requestState: 'nope' },
        caps,
      );
      expect(stale).toMatchObject({ id: 's1', error: { code: -32602 } });
      expect(JSON.stringify(stale)).toMatch(/unknown or expired/);
    },
    T,
  );

  it(
    'MRTR: a held call waits a bounded time, then its retry gets a clear error',
    async () => {
      const { port } = await serve(fixtureConfig(mode, { inputWaitMs: 200 }), { keepAliveMs: 60_000 });
      const caps = { elicitation: {} };
      const first = await ask(
        port,
        'e1',
        'tools/call',
        { name: 'elicit', arguments: { message: 'Name?' } },
        caps,
      );
      const interim = first['result'] as { requestState: string; inputRequests: Record<string, unknown> };
      const key = Object.keys(interim.inputRequests)[0]!;
      // The legacy server's question was answered with an error once the wait ran out: its
      // call ended, so the retry finds nothing held.
      const stale = await until('the held call to expire', async () => {
        const r = await ask(
          port,
          `e${Date.now()}`,
          'tools/call',
          {
            name: 'elicit',
            arguments: { message: 'Name?' },
            inputResponses: { [key]: { action: 'accept', content: { name: 'late' } } },
            requestState: interim.requestState,
          },
          caps,
        );
        return 'error' in r ? r : undefined;
      });
      expect(JSON.stringify(stale)).toMatch(/unknown or expired/);
    },
    T,
  );
});
