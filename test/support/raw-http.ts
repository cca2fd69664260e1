import { connect } from 'node:net';

/**
 * One HTTP/1.1 exchange over a raw socket: the request is whatever bytes the test says
 * (bad methods, bad headers, lying lengths), and the answer is read just far enough to
 * judge it. Used by the fuzz run, where node:http would refuse to send half the cases.
 */

export interface RawAnswer {
  status: number;
  reason: string;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body, de-chunked; for a stream left open, what arrived before we stopped. */
  body: Buffer;
  /** The answer was an SSE stream that we stopped reading (GET streams never end). */
  openStream: boolean;
}

/** Not complete yet: read more. */
const MORE = Symbol('more');

export type RawResult = { ok: true; answer: RawAnswer } | { ok: false; why: string; received: string };

export interface RawOptions {
  timeoutMs?: number;
  /** SSE answers are judged on their headers alone (GET streams stay open). */
  sseHeadersOnly?: boolean;
  /** The request was HEAD: no body follows the headers, whatever Content-Length says. */
  head?: boolean;
}

/** Sends `request` to 127.0.0.1:`port` and reads one answer (skipping 1xx). */
export function rawExchange(port: number, request: Buffer, options: RawOptions = {}): Promise<RawResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let settled = false;
    let closed = false;
    const finish = (r: RawResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          why: `no complete answer in ${timeoutMs} ms`,
          received: buf.toString('latin1').slice(0, 500),
        }),
      timeoutMs,
    );
    const check = () => {
      const parsed = parseAnswer(buf, closed, options);
      if (parsed === MORE) {
        if (closed)
          finish({
            ok: false,
            why: 'connection closed mid-answer',
            received: buf.toString('latin1').slice(0, 500),
          });
        return;
      }
      if (typeof parsed === 'string')
        finish({ ok: false, why: parsed, received: buf.toString('latin1').slice(0, 500) });
      else finish({ ok: true, answer: parsed });
    };
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      check();
    });
    socket.on('error', () => {
      closed = true;
      check();
    });
    socket.on('close', () => {
      closed = true;
      check();
    });
    // write, not end: a client that half-closes loses async answers (node:http ends the
    // socket on the client's FIN unless httpAllowHalfOpen), which is not what we test here.
    socket.once('connect', () => socket.write(request));
  });
}

/** The answer once complete; MORE while incomplete; a string naming what is malformed. */
function parseAnswer(buf: Buffer, closed: boolean, options: RawOptions): RawAnswer | typeof MORE | string {
  let start = 0;
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', start);
    if (end === -1) return buf.length - start > 64 * 1024 ? 'header block over 64 KiB' : MORE;
    const head = buf.subarray(start, end).toString('latin1');
    const [statusLine, ...lines] = head.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine!);
    if (!m) return `bad status line ${JSON.stringify(statusLine)}`;
    const status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) return `bad header line ${JSON.stringify(line)}`;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const bodyStart = end + 4;
    if (status >= 100 && status < 200) {
      start = bodyStart;
      continue;
    }
    const rest = buf.subarray(bodyStart);
    const sse = (headers['content-type'] ?? '').startsWith('text/event-stream');
    if (sse && options.sseHeadersOnly) {
      const chunked = (headers['transfer-encoding'] ?? '').toLowerCase() === 'chunked';
      return { status, reason: m[2]!, headers, body: chunked ? dechunkSoFar(rest) : rest, openStream: true };
    }
    if (status === 204 || status === 304 || options.head)
      return { status, reason: m[2]!, headers, body: rest, openStream: false };
    const te = headers['transfer-encoding'];
    if (te !== undefined) {
      if (te.toLowerCase() !== 'chunked') return `unexpected transfer-encoding ${te}`;
      const body = dechunk(rest);
      if (body === MORE) return MORE;
      if (typeof body === 'string') return body;
      return { status, reason: m[2]!, headers, body, openStream: false };
    }
    const cl = headers['content-length'];
    if (cl !== undefined) {
      if (!/^\d+$/.test(cl)) return `bad content-length ${cl}`;
      if (rest.length < Number(cl)) return MORE;
      return { status, reason: m[2]!, headers, body: rest.subarray(0, Number(cl)), openStream: false };
    }
    // No length: the body runs to the close.
    if (!closed) return MORE;
    return { status, reason: m[2]!, headers, body: rest, openStream: false };
  }
}

function dechunk(data: Buffer): Buffer | typeof MORE | string {
  const parts: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', i);
    if (eol === -1) return MORE;
    const sizeText = data.subarray(i, eol).toString('latin1').split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) return `bad chunk size ${JSON.stringify(sizeText)}`;
    const size = parseInt(sizeText, 16);
    if (size === 0) {
      return data.indexOf('\r\n', eol + 2) === -1 ? MORE : Buffer.concat(parts);
    }
    if (data.length < eol + 2 + size + 2) return MORE;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
}

/** The complete chunks of a chunked body still arriving. */
function dechunkSoFar(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', i);
    if (eol === -1) break;
    const size = parseInt(data.subarray(i, eol).toString('latin1'), 16);
    if (!(size > 0) || data.length < eol + 2 + size + 2) break;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
