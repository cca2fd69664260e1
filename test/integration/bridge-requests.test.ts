// PROTOCOL.md "The 2026-07-28 bridge": raw 2026-07-28 requests to a 2025-only stdio server
// (the fixture) run on legacy sessions Patchbay keeps, one request kind at a time.
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureConfig } from '../support/engine-client';
import { resolve } from 'node:path';
import { cleanupAll, json, openSession, postRpc, serve, sseMessages, stream } from '../support/http-wire';

afterEach(cleanupAll);

const T = 30_000;
/** The 2025-only fixture the conformance runner fronts: MRTR tools, an x-mcp-header argument. */
const CONFORMANCE = resolve(import.meta.dirname, '../fixtures/conformance-server.mjs');
const b64 = (s: string) => `=?base64?${Buffer.from(s).toString('base64')}?=`;

const envelope = (caps: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': caps,
  'io.modelcontextprotocol/clientInfo': { name: 'modern-raw', version: '1' },
  ...extra,
});

function modern(
  port: number,
  id: string | number,
  method: string,
  params: Record<string, unknown>,
  meta = envelope(),
) {
  const name = params['name'] ?? params['uri'];
  return postRpc(
    port,
    { jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } },
    {
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
    },
  );
}

/** The JSON-RPC response in a JSON or SSE body. */
function answerOf(x: { headers: Record<string, unknown>; body: string }, id: string | number) {
  const type = String(x.headers['content-type']);
  if (type.startsWith('application/json')) return JSON.parse(x.body) as Record<string, unknown>;
  const found = sseMessages(x.body).find((m) => m.msg['id'] === id && !('method' in m.msg));
  if (!found) throw new Error(`no response ${id} in ${x.body}`);
  return found.msg;
}

const SERVER_INFO = { name: 'patchbay-fixture', version: '1.0.0' };

describe.each(['isolated', 'shared'] as const)('the bridge in front of a 2025-only server (%s)', (mode) => {
  it(
    'server/discover answers from initialize; lists and calls gain the 2026-07-28 fields',
    async () => {
      const { port, runtime } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000 });
      const d = await modern(port, 'd1', 'server/discover', {});
      expect(d.status).toBe(200);
      expect(d.headers['mcp-session-id']).toBeUndefined();
      const discover = json(d)['result'] as Record<string, unknown>;
      expect(discover).toMatchObject({
        supportedVersions: ['2026-07-28', '2025-11-25'],
        capabilities: { tools: { listChanged: true }, resources: { subscribe: true } },
        resultType: 'complete',
        ttlMs: 0,
        cacheScope: 'private',
        _meta: { 'io.modelcontextprotocol/serverInfo': SERVER_INFO },
      });
      expect(discover).not.toHaveProperty('serverInfo');

      for (const [method, key] of [
        ['tools/list', 'tools'],
        ['prompts/list', 'prompts'],
        ['resources/list', 'resources'],
      ] as const) {
        const x = await modern(port, `l-${method}`, method, {});
        const result = answerOf(x, `l-${method}`)['result'] as Record<string, unknown>;
        expect(result[key], method).toBeInstanceOf(Array);
        expect(result).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'private' });
        expect(result['_meta']).toMatchObject({ 'io.modelcontextprotocol/serverInfo': SERVER_INFO });
      }
      const read = answerOf(await modern(port, 'r1', 'resources/read', { uri: 'fixture://a' }), 'r1');
      expect(read['result']).toMatchObject({
        resultType: 'complete',
        ttlMs: 0,
        contents: [{ uri: 'fixture://a' }],
      });
      const prompt = answerOf(
        await modern(port, 'p1', 'prompts/get', { name: 'greet', arguments: { name: 'Ada' } }),
        'p1',
      );
      expect(JSON.stringify(prompt['result'])).toContain('Ada');

      const call = await modern(port, 'c1', 'tools/call', { name: 'echo', arguments: { text: 'bridged' } });
      expect(call.status).toBe(200);
      // Nothing came before the response: one JSON body, as for a session's POST.
      expect(call.headers['content-type']).toMatch(/^application\/json/);
      const result = answerOf(call, 'c1');
      expect(result).toMatchObject({ jsonrpc: '2.0', id: 'c1', result: { resultType: 'complete' } });
      expect(JSON.stringify(result['result'])).toContain('bridged');
      // The legacy server's own error comes back under the client's id.
      const bad = answerOf(
        await modern(port, 'c2', 'tools/call', { name: 'no-such-tool', arguments: {} }),
        'c2',
      );
      expect(bad).toMatchObject({ id: 'c2', error: { code: -32602 } });
      // One legacy session served all of it (one capabilities set), initialized by Patchbay.
      const bridged = runtime.listSessions().filter((s) => s.client.clientInfo?.name === 'patchbay-bridge');
      expect(bridged).toHaveLength(1);
      // Isolated: another capabilities set gets its own session. Shared: the process sees every
      // capability anyway, so one session serves all (each request's own are checked).
      await modern(port, 'c3', 'tools/list', {}, envelope({ elicitation: {} }));
      expect(
        runtime.listSessions().filter((s) => s.client.clientInfo?.name === 'patchbay-bridge'),
      ).toHaveLength(mode === 'isolated' ? 2 : 1);
    },
    T,
  );

  it(
    'removed and unknown methods are 404 / -32601; header checks and versions as for pass-through',
    async () => {
      const { port } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000 });
      for (const method of ['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'no/such']) {
        const x = await modern(port, 'x', method, {});
        expect(x.status, method).toBe(404);
        expect(json(x)).toMatchObject({ id: 'x', error: { code: -32601 } });
      }
      const mismatch = await postRpc(
        port,
        { jsonrpc: '2.0', id: 'm', method: 'tools/list', params: { _meta: envelope() } },
        { 'mcp-protocol-version': '2025-11-25' },
      );
      expect(mismatch.status).toBe(400);
      expect(json(mismatch)).toMatchObject({ id: 'm', error: { code: -32020 } });
      const name = await postRpc(
        port,
        {
          jsonrpc: '2.0',
          id: 'n',
          method: 'tools/call',
          params: { name: 'echo', arguments: { text: 'x' }, _meta: envelope() },
        },
        { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'other' },
      );
      expect(json(name)).toMatchObject({ id: 'n', error: { code: -32020 } });
      // 2026-07-28 requires Mcp-Method on every request and Mcp-Name on tools/call,
      // prompts/get and resources/read; a base64-wrapped value is decoded, a broken one refused.
      const call = {
        jsonrpc: '2.0',
        method: 'tools/call',
        params: { name: 'echo', arguments: { text: 'x' }, _meta: envelope() },
      };
      const v = { 'mcp-protocol-version': '2026-07-28' };
      for (const [id, headers] of [
        ['no-method', v],
        ['no-name', { ...v, 'mcp-method': 'tools/call' }],
        ['bad-base64', { ...v, 'mcp-method': 'tools/call', 'mcp-name': '=?base64?ZWNob?=' }],
      ] as const) {
        const x = await postRpc(port, { ...call, id }, headers);
        expect(x.status, id).toBe(400);
        expect(json(x), id).toMatchObject({ id, error: { code: -32020 } });
      }
      const wrapped = await postRpc(
        port,
        { ...call, id: 'w' },
        { ...v, 'mcp-method': 'tools/call', 'mcp-name': b64('echo') },
      );
      expect(answerOf(wrapped, 'w')).toMatchObject({ id: 'w', result: { resultType: 'complete' } });
      // A legacy session's requests need none of these headers.
      const sid = await openSession(port, '2025-11-25');
      const legacy = await postRpc(
        port,
        { jsonrpc: '2.0', id: 'l', method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } },
        { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' },
      );
      expect(legacy.status).toBe(200);
      expect(answerOf(legacy, 'l')).toMatchObject({ id: 'l', result: { content: [{ text: 'x' }] } });
      const old = await postRpc(
        port,
        {
          jsonrpc: '2.0',
          id: 'v',
          method: 'tools/list',
          params: { _meta: { ...envelope(), 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } },
        },
        { 'mcp-protocol-version': '2099-01-01' },
      );
      expect(old.status).toBe(400);
      expect(json(old)).toMatchObject({
        error: { code: -32022, data: { supported: ['2026-07-28'], requested: '2099-01-01' } },
      });
    },
    T,
  );

  it(
    'progress comes back under the client token; closing the stream cancels the legacy call',
    async () => {
      const { port } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000 });
      const meta = envelope({}, { progressToken: 'tok-1' });
      const x = await modern(
        port,
        'p',
        'tools/call',
        { name: 'slow', arguments: { ms: 300, steps: 3 } },
        meta,
      );
      const msgs = sseMessages(x.body).map((m) => m.msg);
      const progress = msgs.filter((m) => m['method'] === 'notifications/progress');
      expect(progress.length).toBeGreaterThan(0);
      for (const p of progress)
        expect((p['params'] as Record<string, unknown>)['progressToken']).toBe('tok-1');
      expect(msgs.at(-1)).toMatchObject({ id: 'p', result: { resultType: 'complete' } });

      const s = stream(port, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          // SSE only, so the stream opens at once (with both, a silent call's answer form is
          // decided by its first frame or keep-alive).
          accept: 'text/event-stream',
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/call',
          'mcp-name': 'hang',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 'h',
          method: 'tools/call',
          params: { name: 'hang', arguments: {}, _meta: envelope() },
        }),
      });
      await s.response();
      s.destroy();
      // The legacy server heard notifications/cancelled for the bridged call (under the
      // bridge id, or the shared process's proxy id for it).
      const deadline = Date.now() + 10_000;
      let cancelled: unknown[] = [];
      while (Date.now() < deadline) {
        const q = `q${Date.now()}`;
        const r = answerOf(await modern(port, q, 'tools/call', { name: 'cancelled', arguments: {} }), q);
        cancelled = JSON.parse(
          (r['result'] as { content: { text: string }[] }).content[0]!.text,
        ) as unknown[];
        if (cancelled.length > 0) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      expect(cancelled).toHaveLength(1);
      if (mode === 'isolated') expect(String(cancelled[0])).toContain('patchbay-bridge');
    },
    T,
  );

  it(
    'the pooled legacy session outlives its process: the call in flight fails, the next one revives it',
    async () => {
      const { port, runtime } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000 });
      const pid = async (id: string) => {
        const r = answerOf(await modern(port, id, 'tools/call', { name: 'pid', arguments: {} }), id);
        return JSON.stringify(r['result']);
      };
      const before = await pid('p1');
      const crashed = answerOf(await modern(port, 'k', 'tools/call', { name: 'crash', arguments: {} }), 'k');
      expect(crashed).toMatchObject({ id: 'k', error: { code: -32000 } });
      // The same capabilities set: the same legacy session, re-initialized on a new process.
      const after = await pid('p2');
      expect(after).not.toBe(before);
      const bridged = runtime.listSessions().filter((x) => x.client.clientInfo?.name === 'patchbay-bridge');
      expect(bridged).toHaveLength(1);
      expect(bridged[0]!.revivals).toBe(1);
    },
    T,
  );

  it(
    'Mcp-Param headers mirror the x-mcp-header arguments of a listed tool (SEP-2243)',
    async () => {
      const { port } = await serve({ ...fixtureConfig(mode), args: [CONFORMANCE] }, { keepAliveMs: 60_000 });
      const list = answerOf(await modern(port, 'l', 'tools/list', {}), 'l');
      expect(JSON.stringify(list)).toContain('"x-mcp-header":"Region"');
      const call = (id: string, region: string, header?: string) =>
        postRpc(
          port,
          {
            jsonrpc: '2.0',
            id,
            method: 'tools/call',
            params: { name: 'test_custom_header', arguments: { region }, _meta: envelope() },
          },
          {
            'mcp-protocol-version': '2026-07-28',
            'mcp-method': 'tools/call',
            'mcp-name': 'test_custom_header',
            ...(header === undefined ? {} : { 'mcp-param-region': header }),
          },
        );
      for (const [id, region, header] of [
        ['plain', 'eu-west', 'eu-west'],
        ['wrapped', 'Zürich', b64('Zürich')],
        ['literal', 'SGVsbG8=', 'SGVsbG8='],
      ] as const) {
        const x = await call(id, region, header);
        expect(answerOf(x, id), id).toMatchObject({ id, result: { resultType: 'complete' } });
        expect(JSON.stringify(answerOf(x, id)), id).toContain(`Region: ${region}`);
      }
      for (const [id, region, header] of [
        ['missing', 'eu-west', undefined],
        ['other', 'eu-west', 'us-east'],
        ['bad-padding', 'Hello', '=?base64?SGVsbG8?='],
      ] as const) {
        const x = await call(id, region, header);
        expect(x.status, id).toBe(400);
        expect(json(x), id).toMatchObject({ id, error: { code: -32020 } });
      }
    },
    T,
  );

  it(
    'MRTR: requests sent together are one round, keyed by their string ids; answers sent up front are used',
    async () => {
      const { port } = await serve({ ...fixtureConfig(mode), args: [CONFORMANCE] }, { keepAliveMs: 60_000 });
      const caps = { elicitation: {}, sampling: {}, roots: {} };
      const tool = { name: 'test_input_required_result_multiple_inputs', arguments: {} };
      const first = answerOf(await modern(port, 'm1', 'tools/call', tool, envelope(caps)), 'm1');
      const interim = first['result'] as {
        inputRequests: Record<string, { method: string }>;
        requestState: string;
      };
      expect(first).toMatchObject({ result: { resultType: 'input_required' } });
      expect(Object.keys(interim.inputRequests).sort()).toEqual(['client_roots', 'greeting', 'user_name']);
      const answers = {
        user_name: { action: 'accept', content: { name: 'Ada' } },
        greeting: { role: 'assistant', model: 'm', content: { type: 'text', text: 'hi there' } },
        client_roots: { roots: [{ uri: 'file:///w' }] },
      };
      const done = answerOf(
        await modern(
          port,
          'm2',
          'tools/call',
          { ...tool, inputResponses: answers, requestState: interim.requestState },
          envelope(caps),
        ),
        'm2',
      );
      expect(done).toMatchObject({ id: 'm2', result: { resultType: 'complete' } });
      expect(JSON.stringify(done)).toContain('Ada');
      // A request carrying the answer already (no requestState): the server's question is
      // answered from it; an answer of the wrong shape is asked for again.
      const single = { name: 'test_input_required_result_elicitation', arguments: {} };
      const upFront = answerOf(
        await modern(
          port,
          'u1',
          'tools/call',
          { ...single, inputResponses: { user_name: answers.user_name, extra: {} } },
          envelope(caps),
        ),
        'u1',
      );
      expect(upFront).toMatchObject({ id: 'u1', result: { resultType: 'complete' } });
      expect(JSON.stringify(upFront)).toContain('Hello, Ada!');
      const wrongShape = answerOf(
        await modern(
          port,
          'u2',
          'tools/call',
          { ...single, inputResponses: { user_name: 12345 } },
          envelope(caps),
        ),
        'u2',
      );
      expect(wrongShape).toMatchObject({ id: 'u2', result: { resultType: 'input_required' } });
    },
    T,
  );

  it(
    'MRTR: what the request cannot answer is never asked; -32021 (HTTP 400) when nothing is left',
    async () => {
      const { port } = await serve({ ...fixtureConfig(mode), args: [CONFORMANCE] }, { keepAliveMs: 60_000 });
      const x = await modern(
        port,
        'n',
        'tools/call',
        { name: 'test_missing_capability', arguments: {} },
        envelope({}),
      );
      expect(x.status).toBe(400);
      expect(json(x)).toMatchObject({
        id: 'n',
        error: { code: -32021, data: { requiredCapabilities: { sampling: {} } } },
      });
      // Sampling only: the server asks what its client declared at initialize (isolated: only
      // sampling; shared: everything, and the elicitation is declined for the client).
      const some = answerOf(
        await modern(
          port,
          's',
          'tools/call',
          { name: 'test_input_required_result_capabilities', arguments: {} },
          envelope({ sampling: {} }),
        ),
        's',
      );
      const methods = Object.values(
        (some['result'] as { inputRequests: Record<string, { method: string }> }).inputRequests,
      ).map((r) => r.method);
      expect(methods).toEqual(['sampling/createMessage']);
    },
    T,
  );
});
