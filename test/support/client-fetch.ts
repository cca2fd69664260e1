// fetch wrappers handed to real HTTP MCP clients, so tests can see what crossed the wire.

export interface SeenResponse {
  method: string;
  status: number;
  contentType: string;
  sessionId: string | null;
}

/** A fetch that records the status, content type and session header of every response. */
export function recordingFetch() {
  const seen: SeenResponse[] = [];
  const fetchLike = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const res = await fetch(input, init);
    seen.push({
      method: init?.method ?? 'GET',
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      sessionId: res.headers.get('mcp-session-id'),
    });
    return res;
  };
  return { seen, fetch: fetchLike };
}

/** A JSON-RPC message as read from a POST response (one SSE event's data, or the JSON body). */
export type WireMessage = {
  id?: unknown;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: unknown;
};

/**
 * A fetch for clients that have no progress API (the AI SDK's): it adds a progress token to
 * every `tools/call` it sends, records the method of every message it sends, and records, in
 * arrival order, each message of every POST response, so a test can check that the progress came on the call's stream before its result.
 * GET streams pass untouched (reading a copy would keep them open after the client closes).
 */
export function progressTapFetch() {
  const received: WireMessage[] = [];
  const calls: { token: string; id: unknown }[] = [];
  const sent: string[] = [];
  const errors: string[] = [];
  const fetchLike = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if ((init?.method ?? 'GET') !== 'POST') return fetch(input, init);
    let body = init?.body;
    if (typeof body === 'string') {
      const msg = JSON.parse(body) as WireMessage;
      if (!Array.isArray(msg) && msg.method) sent.push(msg.method);
      if (!Array.isArray(msg) && msg.method === 'tools/call') {
        const token = `tap-${calls.length + 1}`;
        calls.push({ token, id: msg.id });
        const params = (msg.params ??= {});
        params['_meta'] = { ...(params['_meta'] as object | undefined), progressToken: token };
        body = JSON.stringify(msg);
      }
    }
    const res = await fetch(input, { ...init, body });
    if (!res.body) return res;
    const [forClient, forTap] = res.body.tee();
    const type = res.headers.get('content-type') ?? '';
    readMessages(forTap, type, received).catch((e: unknown) => errors.push(String(e)));
    return new Response(forClient, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  return { fetch: fetchLike, received, calls, sent, errors };
}

/** Reads a POST response body: SSE events' data lines, or one JSON body. */
async function readMessages(
  stream: ReadableStream<Uint8Array>,
  contentType: string,
  into: WireMessage[],
): Promise<void> {
  const text = stream.pipeThrough(new TextDecoderStream());
  let buffer = '';
  for await (const chunk of text) {
    buffer += chunk;
    if (!contentType.startsWith('text/event-stream')) continue;
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const data = event
        .split(/\r?\n/)
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) into.push(JSON.parse(data) as WireMessage);
    }
  }
  if (contentType.startsWith('application/json') && buffer.trim())
    into.push(JSON.parse(buffer) as WireMessage);
}
