// The one client code every target is driven by: the MCP TypeScript SDK's Client over
// StreamableHTTPClientTransport (or StdioClientTransport for the direct floor).

import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export const CALL_TIMEOUT_MS = 30_000;

/**
 * An open session: the SDK client and what it takes to end it.
 * @typedef {{ client: Client, transport: any, close: () => Promise<void>, pid?: number }} Session
 */

/** @param {string} url @returns {Promise<Session>} */
export async function openHttpSession(url, timeoutMs = 10_000) {
  const transport = new StreamableHTTPClientTransport(new URL(url));
  const client = new Client({ name: 'patchbay-bench', version: '1.0.0' });
  client.onerror = () => {}; // a GET stream torn down at close is not news
  try {
    await client.connect(transport, { timeout: timeoutMs });
  } catch (err) {
    await client.close().catch(() => {});
    throw err;
  }
  return {
    client,
    transport,
    close: async () => {
      // DELETE ends the session on the proxy (and its process, in isolated modes).
      await transport.terminateSession().catch(() => {});
      await client.close().catch(() => {});
    },
  };
}

/** @param {string} command @param {string[]} args @returns {Promise<Session>} */
export async function openStdioSession(command, args, timeoutMs = 10_000) {
  const transport = new StdioClientTransport({ command, args, stderr: 'ignore' });
  const client = new Client({ name: 'patchbay-bench', version: '1.0.0' });
  client.onerror = () => {};
  try {
    await client.connect(transport, { timeout: timeoutMs });
  } catch (err) {
    await client.close().catch(() => {});
    throw err;
  }
  return {
    client,
    transport,
    pid: transport.pid ?? undefined,
    close: () => client.close().catch(() => {}),
  };
}

/** Texts by length, built once. @type {Map<number, string>} */
const texts = new Map();
/** @param {number} n */
export function textOf(n) {
  let t = texts.get(n);
  if (t === undefined) {
    t = 'x'.repeat(n);
    texts.set(n, t);
  }
  return t;
}

/**
 * One tool call, checked: `echo` of `bytes` characters (request and response carry them)
 * or `big` (a response of `bytes` characters for a tiny request).
 * @param {Client} client @param {'echo' | 'big'} tool @param {number} bytes
 */
export async function call(client, tool, bytes) {
  const args = tool === 'echo' ? { text: textOf(bytes) } : { bytes };
  const result = await client.callTool({ name: tool, arguments: args }, undefined, {
    timeout: CALL_TIMEOUT_MS,
  });
  const content = /** @type {any} */ (result).content;
  const text = Array.isArray(content) ? content[0]?.text : undefined;
  if (result.isError || typeof text !== 'string' || text.length !== bytes) {
    throw new Error(`bad result: ${JSON.stringify(result).slice(0, 200)}`);
  }
}

/**
 * Sequential calls; returns each call's latency in ms (failed calls are counted, not timed).
 * @param {Client} client @param {number} n @param {'echo' | 'big'} tool @param {number} bytes
 */
export async function sequential(client, n, tool = 'echo', bytes = 100) {
  /** @type {number[]} */
  const times = [];
  let errors = 0;
  /** @type {string | undefined} */
  let firstError;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    try {
      await call(client, tool, bytes);
      times.push(performance.now() - t0);
    } catch (err) {
      errors++;
      firstError ??= err instanceof Error ? err.message : String(err);
      if (errors >= 3 && times.length === 0) break; // it does not work at all: do not wait 30 s × n
    }
  }
  return { times, errors, firstError };
}

/**
 * `concurrency` callers, each calling in a loop; calls go round-robin over the sessions (so one
 * caller on 8 sessions uses all 8, and 32 callers on 8 sessions keep 4 calls in flight on each).
 * Calls that complete inside [start + warmMs, start + warmMs + durationMs] are counted.
 * @param {Session[]} sessions @param {number} concurrency @param {number} warmMs @param {number} durationMs
 */
export async function throughput(sessions, concurrency, warmMs, durationMs, bytes = 100) {
  const start = performance.now();
  const from = start + warmMs;
  const until = from + durationMs;
  let calls = 0;
  let total = 0;
  let errors = 0;
  /** @type {string | undefined} */
  let firstError;
  let next = 0;
  const caller = async () => {
    while (performance.now() < until) {
      const { client } = sessions[next++ % sessions.length];
      try {
        await call(client, 'echo', bytes);
        total++;
        const t = performance.now();
        if (t >= from && t <= until) calls++;
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
        if (errors > 50 && calls === 0) return;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => caller()));
  return { calls, total, errors, perSecond: calls / (durationMs / 1000), firstError };
}

/** Nearest-rank percentile of unsorted values. @param {number[]} values @param {number} q */
export function percentile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** @param {number[]} values */
export function median(values) {
  return percentile(values, 0.5);
}
