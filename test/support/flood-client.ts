// A bare MCP client on fetch for flood tests: the SSE body is counted and dropped, so the test
// process stays light while the server floods.

const ACCEPT = 'application/json, text/event-stream';
const VERSION = '2025-06-18';

/** Opens a 2025-06-18 session (initialize + initialized); returns its session id. */
export async function openSession(url: string): Promise<string> {
  const init = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: ACCEPT },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'flood', version: '1' } },
    }),
  });
  const session = init.headers.get('mcp-session-id');
  await init.text();
  if (!init.ok || !session) throw new Error(`initialize failed: ${init.status}`);
  const done = await fetch(url, {
    method: 'POST',
    headers: headers(session),
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  await done.text();
  return session;
}

function headers(session: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    Accept: ACCEPT,
    'Mcp-Session-Id': session,
    'MCP-Protocol-Version': VERSION,
  };
}

/** Calls the fixture's flood_paced with a progress token, so every notification rides this request's SSE stream. */
export async function flood(
  url: string,
  session: string,
  pace: { rate: number; seconds: number },
): Promise<{ events: number; bytes: number }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: headers(session),
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: {
        name: 'flood_paced',
        arguments: { rate: pace.rate, seconds: pace.seconds, size: 100 },
        _meta: { progressToken: 'flood' },
      },
    }),
  });
  let bytes = 0;
  let events = 0;
  let tail = ''; // an event line can be cut between two chunks
  const needle = 'event: message';
  const decoder = new TextDecoder();
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    bytes += r.value.byteLength;
    const text = tail + decoder.decode(r.value, { stream: true });
    events += text.split(needle).length - 1;
    tail = text.slice(-(needle.length - 1));
  }
  return { events, bytes };
}
