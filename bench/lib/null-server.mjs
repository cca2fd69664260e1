#!/usr/bin/env node
// A reference, not a proxy: the smallest Streamable HTTP MCP server on node:http that answers
// `echo` and `big` in-process (no child, no stdio). What the SDK client and the HTTP hop cost
// on this machine with no proxy work at all — the floor any HTTP proxy sits on.
//
//   node null-server.mjs --port N [--reply sse|sse-split|json]
//     sse        one write per answer: headers + one `event: message` frame + end (default)
//     sse-split  headers flushed first, then the frame, then the end (what a streaming
//                proxy does when it opens the stream before the answer is in)
//     json       a JSON body with Content-Length, one write

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { port: { type: 'string' }, reply: { type: 'string', default: 'sse' } },
});
const reply = values.reply;
if (!['sse', 'sse-split', 'json'].includes(reply))
  throw new Error(`--reply: sse, sse-split or json, not ${reply}`);

const SSE = { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' };
const sessions = new Set();

/** @param {any} msg */
function answer(msg) {
  const p = msg.params ?? {};
  switch (msg.method) {
    case 'initialize':
      return {
        protocolVersion: p.protocolVersion ?? '2025-06-18',
        capabilities: { tools: {} },
        serverInfo: { name: 'bench-null-server', version: '1.0.0' },
      };
    case 'ping':
      return {};
    case 'tools/list':
      return { tools: [] };
    case 'tools/call': {
      const a = p.arguments ?? {};
      const text = p.name === 'big' ? 'x'.repeat(Number(a.bytes ?? 0)) : String(a.text ?? '');
      return { content: [{ type: 'text', text }] };
    }
    default:
      return undefined;
  }
}

const server = createServer((req, res) => {
  if (req.method === 'DELETE') {
    sessions.delete(req.headers['mcp-session-id']);
    res.writeHead(200).end();
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { Allow: 'POST, DELETE' }).end();
    return;
  }
  /** @type {Buffer[]} */
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (msg.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    const result = answer(msg);
    const body = JSON.stringify(
      result === undefined
        ? { jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: `Method not found: ${msg.method}` } }
        : { jsonrpc: '2.0', id: msg.id, result },
    );
    /** @type {Record<string, string>} */
    const headers = {};
    if (msg.method === 'initialize') {
      const id = randomUUID();
      sessions.add(id);
      headers['Mcp-Session-Id'] = id;
    }
    if (reply === 'json' || msg.method === 'initialize') {
      res.writeHead(200, {
        ...headers,
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    const frame = `event: message\ndata: ${body}\n\n`;
    res.writeHead(200, { ...headers, ...SSE });
    if (reply === 'sse-split') {
      res.flushHeaders();
      res.write(frame);
      res.end();
    } else {
      res.end(frame);
    }
  });
});
server.listen(Number(values.port), '127.0.0.1');
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
