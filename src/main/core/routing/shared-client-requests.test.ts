import { describe, expect, it } from 'vitest';
import type { JsonRpcRequest } from '../jsonrpc/message';
import { routeServerRequest, withEveryClientCapability } from './shared-client-requests';

const req = (method: string, params?: Record<string, unknown>): JsonRpcRequest => ({
  jsonrpc: '2.0',
  id: 9,
  method,
  ...(params ? { params } : {}),
});
const session = (name: string, capabilities?: Record<string, unknown>) => ({
  name,
  client: capabilities ? { capabilities } : {},
});
const sampler = session('sampler', { sampling: {}, elicitation: {}, roots: {} });
const plain = session('plain', {});

describe('withEveryClientCapability', () => {
  it('adds sampling, elicitation and roots, keeping what the first client declared', () => {
    const params = { protocolVersion: '2025-06-18', capabilities: { roots: { listChanged: true }, x: 1 } };
    expect(withEveryClientCapability(params)).toEqual({
      protocolVersion: '2025-06-18',
      capabilities: { roots: { listChanged: true }, x: 1, sampling: {}, elicitation: {} },
    });
    expect(params.capabilities).toEqual({ roots: { listChanged: true }, x: 1 }); // not mutated
    expect(withEveryClientCapability({})).toEqual({
      capabilities: { sampling: {}, elicitation: {}, roots: {} },
    });
  });
});

describe('routeServerRequest', () => {
  it('sends to the one busy session when it declared the capability', () => {
    for (const method of ['sampling/createMessage', 'elicitation/create', 'roots/list', 'ping']) {
      expect(routeServerRequest(req(method), [sampler])).toEqual({ to: 'session', session: sampler });
    }
    expect(routeServerRequest(req('ping'), [plain])).toEqual({ to: 'session', session: plain });
  });

  it('answers for a busy session that lacks the capability', () => {
    expect(routeServerRequest(req('roots/list'), [plain])).toEqual({ to: 'server', result: { roots: [] } });
    expect(routeServerRequest(req('elicitation/create'), [plain])).toEqual({
      to: 'server',
      result: { action: 'decline' },
    });
    const sampling = routeServerRequest(req('sampling/createMessage'), [plain]);
    expect(sampling).toMatchObject({ to: 'server', error: { code: -32601 } });
    expect(JSON.stringify(sampling)).toMatch(/did not declare the capability/);
    // URL elicitation needs elicitation.url, not just elicitation.
    expect(routeServerRequest(req('elicitation/create', { mode: 'url' }), [sampler])).toEqual({
      to: 'server',
      result: { action: 'decline' },
    });
    const urlCapable = session('url', { elicitation: { form: {}, url: {} } });
    expect(routeServerRequest(req('elicitation/create', { mode: 'url' }), [urlCapable])).toMatchObject({
      to: 'session',
    });
  });

  it('never picks a session when none or several are busy', () => {
    for (const busy of [[], [sampler, session('other', { sampling: {} })]]) {
      const route = routeServerRequest(req('sampling/createMessage'), busy);
      expect(route).toMatchObject({ to: 'server', error: { code: -32601 } });
      expect(JSON.stringify(route)).toMatch(
        busy.length === 0 ? /no client has a request in flight/ : /2 clients have requests in flight/,
      );
    }
    // Patchbay is the server's other end: a ping nobody owns is answered, not refused.
    expect(routeServerRequest(req('ping'), [])).toEqual({ to: 'server', result: {} });
  });
});
