// The bridged-call row: a modern 2026-07-28 stateless `tools/call` (Patchbay's bridge runs it
// on a legacy session it keeps) against a legacy session's `tools/call`, on the same Patchbay
// process, the same raw node:http client and one keep-alive connection, alternating, so the
// difference is the bridge's own cost (no SDK client in either path).

import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { textOf } from './client.mjs';
import { cpuMsOf } from './procs.mjs';

const LEGACY = '2025-11-25';
const MODERN = '2026-07-28';
const TIMEOUT_MS = 30_000;

/**
 * One POST on `agent`; resolves with the JSON-RPC response in the body (JSON or SSE).
 * @param {Agent} agent @param {URL} url @param {Record<string, string>} headers @param {string} body
 * @returns {Promise<{ headers: import('node:http').IncomingHttpHeaders, msg: any }>}
 */
function post(agent, url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const chunks = /** @type {Buffer[]} */ ([]);
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode === 202) return resolve({ headers: res.headers, msg: undefined });
          if (res.statusCode !== 200)
            return reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 300)}`));
          try {
            resolve({ headers: res.headers, msg: lastMessage(text, String(res.headers['content-type'])) });
          } catch (err) {
            reject(err);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The response in a JSON body, or the last `data:` message of an SSE body. @param {string} text @param {string} type */
function lastMessage(text, type) {
  if (type.startsWith('application/json')) return JSON.parse(text);
  const lines = text.split('\n').filter((l) => l.startsWith('data:') && l.length > 6);
  const last = lines[lines.length - 1];
  if (last === undefined) throw new Error(`no message in ${text.slice(0, 300)}`);
  return JSON.parse(last.slice(5));
}

/** @param {any} msg @param {number} bytes */
function check(msg, bytes) {
  const text = msg?.result?.content?.[0]?.text;
  if (msg?.error || typeof text !== 'string' || text.length !== bytes)
    throw new Error(`bad result: ${JSON.stringify(msg).slice(0, 200)}`);
}

/** @param {number} id @param {number} bytes @param {Record<string, unknown>} [meta] */
function echoCall(id, bytes, meta) {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'echo', arguments: { text: textOf(bytes) }, ...(meta ? { _meta: meta } : {}) },
  });
}

/**
 * A client of both kinds on one keep-alive connection to `url` (a Patchbay /mcp URL):
 * `legacy()` calls echo on a 2025-11-25 session it opened; `bridged()` sends the same call
 * as a 2026-07-28 stateless request.
 * @param {string} url
 */
export async function openBridgeClient(url) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  let nextId = 1;
  const init = await post(
    agent,
    target,
    {},
    JSON.stringify({
      jsonrpc: '2.0',
      id: nextId++,
      method: 'initialize',
      params: {
        protocolVersion: LEGACY,
        capabilities: {},
        clientInfo: { name: 'patchbay-bench', version: '1' },
      },
    }),
  );
  const session = init.headers['mcp-session-id'];
  if (typeof session !== 'string') throw new Error('initialize: no Mcp-Session-Id');
  const sessionHeaders = { 'mcp-session-id': session, 'mcp-protocol-version': LEGACY };
  await post(
    agent,
    target,
    sessionHeaders,
    JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  );
  const modernHeaders = { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'echo' };
  const envelope = {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'patchbay-bench', version: '1' },
  };
  return {
    /** One echo of `bytes` on the legacy session. */
    async legacy(bytes = 100) {
      check((await post(agent, target, sessionHeaders, echoCall(nextId++, bytes))).msg, bytes);
    },
    /** The same echo as a 2026-07-28 stateless request (through the bridge). */
    async bridged(bytes = 100) {
      check((await post(agent, target, modernHeaders, echoCall(nextId++, bytes, envelope))).msg, bytes);
    },
    async close() {
      await new Promise((resolve) => {
        const req = request(
          target,
          { method: 'DELETE', agent, headers: { 'mcp-session-id': session } },
          (res) => {
            res.resume();
            res.on('end', resolve);
          },
        );
        req.on('error', resolve);
        req.end();
      });
      agent.destroy();
    },
  };
}

/**
 * `rounds` × `block` calls of each kind in alternating blocks (legacy, bridged, legacy, …):
 * each call's latency, and the proxy's CPU (`pid`, /proc) per call of each kind.
 * @param {Awaited<ReturnType<typeof openBridgeClient>>} client @param {number} pid
 * @param {number} rounds @param {number} block
 */
export async function bridgedVsLegacy(client, pid, rounds, block) {
  const out = {
    legacy: {
      times: /** @type {number[]} */ ([]),
      cpuMs: 0,
      errors: 0,
      firstError: /** @type {string | undefined} */ (undefined),
    },
    bridged: {
      times: /** @type {number[]} */ ([]),
      cpuMs: 0,
      errors: 0,
      firstError: /** @type {string | undefined} */ (undefined),
    },
  };
  for (let r = 0; r < rounds; r++) {
    for (const kind of /** @type {const} */ (['legacy', 'bridged'])) {
      const acc = out[kind];
      const c0 = cpuMsOf(pid);
      for (let i = 0; i < block; i++) {
        const t0 = performance.now();
        try {
          await client[kind]();
          acc.times.push(performance.now() - t0);
        } catch (err) {
          acc.errors++;
          acc.firstError ??= err instanceof Error ? err.message : String(err);
          if (acc.errors >= 3 && acc.times.length === 0) return out; // does not work at all
        }
      }
      acc.cpuMs += cpuMsOf(pid) - c0;
    }
  }
  return out;
}
