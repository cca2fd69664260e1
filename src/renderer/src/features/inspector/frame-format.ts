import { type Frame, type FrameKind, type Leg, frameMessageText } from '@shared/frames';

/** The four legs, in wire order, with the arrows UI.md fixes for them. */
export const LEGS: readonly Leg[] = ['client→proxy', 'proxy→server', 'server→proxy', 'proxy→client'];
export const LEG_ARROW: Record<Leg, string> = {
  'client→proxy': '⇢',
  'proxy→server': '→',
  'server→proxy': '←',
  'proxy→client': '⇠',
};

export const KIND_LABEL: Record<FrameKind, string> = {
  request: 'req',
  notification: 'notif',
  response: 'res',
  error: 'err',
  noise: 'noise',
  keepalive: 'keep-alive',
  endpoint: 'endpoint',
  priming: 'priming',
  note: 'note',
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** HH:MM:SS.mmm in local time, like the clock beside the user. */
export function formatTime(ts: number): string {
  const d = new Date(ts);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Enough of a session id to tell sessions apart in a column; the filter takes any prefix. */
export function shortSession(id: string | undefined): string {
  return id === undefined ? '—' : id.slice(0, 6);
}

/** Characters of a long string id the column shows: its tail, where counters and suffixes differ. */
const ID_TAIL = 8;

/** The id as the Id column shows it: numbers whole, a long string id by its tail (`#…"probe-12"`). */
export function formatId(id: Frame['rpcId']): string {
  if (id === undefined) return '';
  if (typeof id !== 'string') return `#${id}`;
  return id.length <= ID_TAIL + 2 ? `#"${id}"` : `#…"${id.slice(-ID_TAIL)}"`;
}

/** The id in full, for the hover of the Id column. */
export function fullId(id: Frame['rpcId']): string | undefined {
  if (id === undefined) return undefined;
  return typeof id === 'string' ? `id "${id}"` : `id ${id}`;
}

/** What a screen reader says for each leg's arrow: the two arrows of a side read differently. */
export const LEG_LABEL: Record<Leg, string> = {
  'client→proxy': 'client to Patchbay (HTTP side)',
  'proxy→server': 'Patchbay to server (stdio side)',
  'server→proxy': 'server to Patchbay (stdio side)',
  'proxy→client': 'Patchbay to client (HTTP side)',
};

/** The parsed message, or undefined for noise, keep-alives and cut-off JSON. */
export function parseMessage(raw: string): unknown {
  const text = frameMessageText(raw).trim();
  if (text === '' || !(text.startsWith('{') || text.startsWith('['))) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The message pretty-printed; the raw text when it is not JSON. */
export function messageJson(frame: Frame): string {
  const msg = parseMessage(frame.raw);
  return msg === undefined ? frame.raw : JSON.stringify(msg, null, 2);
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface CurlContext {
  url: string | undefined;
  protocolVersion?: string | undefined;
  /** The server wants a bearer token: the command reads it from the environment, never inlines it. */
  hasToken?: boolean;
}

/** Only what a client sent can be replayed. */
export function canCurl(frame: Frame): boolean {
  return frame.leg === 'client→proxy' && frame.transport === 'http' && parseMessage(frame.raw) !== undefined;
}

/** A curl command that POSTs this client frame's body to the server again, with its session headers. */
export function toCurl(frame: Frame, ctx: CurlContext): string {
  const lines = [
    `curl -sN -X POST ${shellQuote(ctx.url ?? 'http://127.0.0.1:7300/mcp')}`,
    `-H 'Content-Type: application/json'`,
    `-H 'Accept: application/json, text/event-stream'`,
  ];
  if (frame.sessionId) lines.push(`-H ${shellQuote(`Mcp-Session-Id: ${frame.sessionId}`)}`);
  if (ctx.protocolVersion) lines.push(`-H ${shellQuote(`MCP-Protocol-Version: ${ctx.protocolVersion}`)}`);
  if (ctx.hasToken) lines.push(`-H "Authorization: Bearer $PATCHBAY_TOKEN"`);
  lines.push(`--data-raw ${shellQuote(frameMessageText(frame.raw))}`);
  return lines.join(' \\\n  ');
}

/** One JSON object per line, each frame whole (raw included), for jq and friends. */
export function toNdjsonLines(frames: Iterable<Frame>): string[] {
  const out: string[] = [];
  for (const f of frames) out.push(JSON.stringify(f) + '\n');
  return out;
}
