/** The four legs of the wire, always in this order (UI.md). */
export type Leg = 'client→proxy' | 'proxy→server' | 'server→proxy' | 'proxy→client';

export type FrameTransport = 'http' | 'sse' | 'stdio';

export type FrameKind =
  | 'request'
  | 'notification'
  | 'response'
  | 'error'
  | 'noise'
  | 'keepalive'
  | 'endpoint'
  | 'priming'
  /** An event of Patchbay's own (a process reclaimed, a session revived): text, not a message. */
  | 'note';

/** Who a frame belongs to: absent = the user's traffic; 'patchbay' = Patchbay's own (probe, revival, replay). */
export type FrameBy = 'patchbay';

/** One frame on the wire, as the inspector shows it (DESIGN.md "Inspector"). */
export interface Frame {
  seq: number;
  ts: number;
  serverId: string;
  sessionId?: string;
  leg: Leg;
  transport: FrameTransport;
  kind: FrameKind;
  method?: string;
  rpcId?: string | number;
  /** UTF-8 bytes of `raw`. */
  bytes: number;
  /** Exactly what was on the wire (the SSE frame with its `event:`/`id:` lines), secrets redacted. */
  raw: string;
  /** On a response: time since its request crossed the same pair of legs. */
  latencyMs?: number;
  /** Set on Patchbay's own frames (and the answers to its own requests); absent on the user's. */
  by?: FrameBy;
}

/** Filters of the inspector: all optional, all must match. */
export interface FrameQuery {
  afterSeq?: number;
  limit?: number;
  sessionId?: string;
  leg?: Leg;
  kind?: FrameKind;
  method?: string;
  /** Case-insensitive text anywhere in the raw frame. */
  text?: string;
}

/** The JSON text a frame carries: an SSE frame's `data:` lines joined, else the raw text itself. */
export function frameMessageText(raw: string): string {
  const head = raw.trimStart()[0];
  if (head === '{' || head === '[') return raw;
  const data: string[] = [];
  for (const line of raw.split(/\r?\n/)) {
    // One optional space after the colon belongs to the field syntax (WHATWG SSE, "data").
    if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
  }
  return data.length > 0 ? data.join('\n') : raw;
}
