// PROTOCOL.md "POST /mcp" and "SSE": a request whose first frame is its response is answered
// as one JSON body when the client takes JSON; anything that streams is SSE, and a POST
// stream of a 2025-11-25 session starts with the priming event. Raw bytes read with curl -N.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureConfig } from '../support/engine-client';
import {
  BOTH,
  cleanupAll,
  curl,
  onCleanup,
  openSession,
  parseSse,
  serve,
  splitCurl,
  toolCall,
} from '../support/http-wire';

afterEach(cleanupAll);

const T = 30_000;
const PRIMING = /^id: (\S+)\nevent: message\nretry: (\d+)\ndata: \n\n/;

/** POSTs one request with curl -sN -i and returns status, headers and the raw body once curl exits. */
async function curlPost(url: string, session: string, body: unknown, accept = BOTH) {
  const c = curl([
    '-X',
    'POST',
    '-H',
    'Content-Type: application/json',
    '-H',
    `Accept: ${accept}`,
    '-H',
    `Mcp-Session-Id: ${session}`,
    '--data-binary',
    JSON.stringify(body),
    url,
  ]);
  expect(await c.exited()).toBe(0);
  return splitCurl(c.output());
}

/** The JSON-RPC messages of an SSE body (the priming event has no data and is skipped). */
function messages(body: string): Record<string, unknown>[] {
  return parseSse(body)
    .blocks.filter((b) => b.data !== undefined && b.data !== '')
    .map((b) => JSON.parse(b.data!) as Record<string, unknown>);
}

const progressCall = (id: string) =>
  toolCall(id, 'slow', { ms: 200, steps: 2 }, { progressToken: `${id}-tok` });

describe.each(['isolated', 'shared'] as const)('POST answers, %s mode', (mode) => {
  it(
    'priming event first on a 2025-11-25 POST stream, none on 2025-06-18 (curl -N raw bytes)',
    async () => {
      const { url, port } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000, retryMs: 2500 });
      const modern = await openSession(port, '2025-11-25');
      const a = await curlPost(url, modern, progressCall('p25'));
      expect(a.status).toBe(200);
      expect(a.headers['content-type']).toBe('text/event-stream');
      const prime = PRIMING.exec(a.body);
      expect(prime, a.body).not.toBeNull();
      expect(prime![2]).toBe('2500');
      // The priming id names this stream: the frames after it carry ids of the same stream.
      const streamOf = (id: string) => id.slice(0, id.lastIndexOf('.'));
      const ids = parseSse(a.body)
        .blocks.map((b) => b.id)
        .filter((id): id is string => id !== undefined);
      expect(ids.length).toBe(4); // priming, two progress, response
      expect(ids.every((id) => streamOf(id) === streamOf(prime![1]!))).toBe(true);
      expect(messages(a.body).map((m) => m['method'] ?? m['id'])).toEqual([
        'notifications/progress',
        'notifications/progress',
        'p25',
      ]);
      expect(a.body.match(/^retry:/gm)).toHaveLength(1);

      // A server of its own: in shared mode the first initialize fixes the revision.
      const second = await serve(fixtureConfig(mode), { keepAliveMs: 60_000 });
      const older = await openSession(second.port, '2025-06-18');
      const b = await curlPost(second.url, older, progressCall('p06'));
      expect(b.headers['content-type']).toBe('text/event-stream');
      expect(b.body).not.toMatch(/^retry:|^data: ?$/m);
      expect(b.body.startsWith('id: ')).toBe(true);
      expect(messages(b.body).map((m) => m['method'] ?? m['id'])).toEqual([
        'notifications/progress',
        'notifications/progress',
        'p06',
      ]);
    },
    T,
  );

  it(
    'the response as first frame → one application/json body, recorded by the tap exactly as sent',
    async () => {
      const { url, port, runtime } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000 });
      const session = await openSession(port, '2025-11-25');
      const r = await curlPost(url, session, toolCall('j1', 'echo', { text: 'as json' }));
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['mcp-session-id']).toBe(session);
      expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.body));
      expect(JSON.parse(r.body)).toMatchObject({ id: 'j1', result: { content: [{ text: 'as json' }] } });
      const out = runtime.frames
        .since()
        .filter((f) => f.leg === 'proxy→client' && f.sessionId === session && f.rpcId === 'j1');
      expect(out).toHaveLength(1);
      expect(out[0]).toMatchObject({ transport: 'http', kind: 'response', raw: r.body });
    },
    T,
  );

  it(
    'a progress notification first → SSE; a silent call commits to SSE with priming and keep-alives once the keep-alive interval passes',
    async () => {
      const { url, port } = await serve(fixtureConfig(mode), { keepAliveMs: 300 });
      const session = await openSession(port, '2025-11-25');
      const streamed = await curlPost(url, session, progressCall('s1'));
      expect(streamed.headers['content-type']).toBe('text/event-stream');
      expect(messages(streamed.body).at(-1)).toMatchObject({ id: 's1' });

      // 1.5 s with nothing to say: headers, priming and keep-alive comments keep it open.
      const silent = await curlPost(url, session, toolCall('s2', 'slow', { ms: 1500, steps: 0 }));
      expect(silent.headers['content-type']).toBe('text/event-stream');
      expect(silent.body).toMatch(PRIMING);
      const blocks = parseSse(silent.body).blocks;
      expect(blocks.filter((b) => b.comment !== undefined).length).toBeGreaterThanOrEqual(1);
      expect(messages(silent.body)).toEqual([expect.objectContaining({ id: 's2' })]);
    },
    T,
  );

  it(
    'a 2 MB tool result reaches the TypeScript SDK client as one JSON body',
    async () => {
      const { url } = await serve(fixtureConfig(mode), { keepAliveMs: 60_000 });
      const types: string[] = [];
      const transport = new StreamableHTTPClientTransport(new URL(url), {
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          if (init?.method === 'POST') types.push(res.headers.get('content-type') ?? '');
          return res;
        },
      });
      const client = new Client({ name: 'big-result', version: '1.0.0' });
      await client.connect(transport);
      onCleanup(() => client.close());
      const bytes = 2 * 1024 * 1024;
      types.length = 0;
      const result = await client.callTool({ name: 'big', arguments: { bytes } });
      const content = result.content as { type: string; text: string }[];
      expect(content[0]!.text.length).toBe(bytes);
      expect(content[0]!.text).toBe('x'.repeat(bytes));
      expect(types).toEqual(['application/json']);
    },
    T,
  );
});
