// One raw MCP initialize over HTTP, for tests that only ask "does this URL serve, and how".

/** POSTs an initialize to `url` and reads the whole answer: its HTTP status and body. */
export async function initializeAt(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
    }),
  });
  return { status: res.status, body: await res.text() };
}
