import type { Frame, FrameKind, FrameTransport, Leg } from '@shared/frames';
import { requestMethodOf } from './request-methods';

/** Whose frames a `by:` token picks: Patchbay's own traffic, or the user's (everything else). */
export type FrameOwner = 'patchbay' | 'user';

/** One `key:value` token (or free text) of the filter box; all terms must match. */
export type FilterTerm =
  | { field: 'method' | 'session' | 'id' | 'text'; value: string; negate: boolean }
  | { field: 'leg'; value: Leg; negate: boolean }
  | { field: 'kind'; value: FrameKind; negate: boolean }
  | { field: 'transport'; value: FrameTransport; negate: boolean }
  | { field: 'by'; value: FrameOwner; negate: boolean };

export interface ParsedFilter {
  terms: FilterTerm[];
  /** Tokens that name a known key with a value it does not know, said plainly. */
  problems: string[];
}

/** What the quick selects and the toggle add to the typed filter. */
export interface FilterOptions {
  leg?: Leg | undefined;
  kind?: FrameKind | undefined;
  /** A session id (or its start). */
  session?: string | undefined;
  showKeepalives?: boolean;
  /** Show Patchbay's own traffic (probe, revivals, notes): hidden unless asked for. */
  showOwn?: boolean;
}

export type FramePredicate = (f: Frame) => boolean;

/** Every name a leg answers to in the filter box: the arrow, the full name and the short word. */
const LEG_NAMES: Record<string, Leg> = {
  '⇢': 'client→proxy',
  in: 'client→proxy',
  client: 'client→proxy',
  'client→proxy': 'client→proxy',
  'client->proxy': 'client→proxy',
  '→': 'proxy→server',
  stdin: 'proxy→server',
  'proxy→server': 'proxy→server',
  'proxy->server': 'proxy→server',
  '←': 'server→proxy',
  stdout: 'server→proxy',
  'server→proxy': 'server→proxy',
  'server->proxy': 'server→proxy',
  '⇠': 'proxy→client',
  out: 'proxy→client',
  'proxy→client': 'proxy→client',
  'proxy->client': 'proxy→client',
};

const KIND_NAMES: Record<string, FrameKind> = {
  request: 'request',
  req: 'request',
  notification: 'notification',
  notif: 'notification',
  response: 'response',
  res: 'response',
  error: 'error',
  err: 'error',
  noise: 'noise',
  keepalive: 'keepalive',
  'keep-alive': 'keepalive',
  endpoint: 'endpoint',
  priming: 'priming',
  note: 'note',
};

const OWNER_NAMES: Record<string, FrameOwner> = {
  patchbay: 'patchbay',
  own: 'patchbay',
  user: 'user',
  you: 'user',
};

const TRANSPORTS: readonly FrameTransport[] = ['http', 'sse', 'stdio'];

/** Hidden unless asked for: they say nothing about the conversation. */
const QUIET_KINDS: ReadonlySet<FrameKind> = new Set(['keepalive', 'priming']);

/** Splits on spaces, keeping `"quoted phrases"` (free text as typed) and `key:"quoted value"` whole. */
function tokens(text: string): { token: string; literal: boolean }[] {
  const out: { token: string; literal: boolean }[] = [];
  const re = /(-?[a-z]+:)?"([^"]*)"?|\S+/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[2] === undefined) out.push({ token: m[0], literal: false });
    else if (m[2] !== '') out.push({ token: (m[1] ?? '') + m[2], literal: m[1] === undefined });
  }
  return out;
}

/**
 * Reads the filter box: `method:tools/call session:a1f leg:stdin kind:error id:7 by:patchbay`,
 * `-key:` negates, the rest is text.
 */
export function parseFilter(text: string): ParsedFilter {
  const terms: FilterTerm[] = [];
  const problems: string[] = [];
  for (const { token, literal } of tokens(text)) {
    const m = literal ? null : /^(-?)([a-z]+):(.*)$/is.exec(token);
    const negate = m?.[1] === '-';
    const key = m?.[2]?.toLowerCase();
    const value = m?.[3] ?? '';
    if (!m || value === '') {
      terms.push({ field: 'text', value: token, negate: false });
      continue;
    }
    switch (key) {
      case 'method':
      case 'session':
      case 'id':
        terms.push({ field: key, value, negate });
        break;
      case 'leg': {
        const leg = LEG_NAMES[value.toLowerCase()];
        if (leg) terms.push({ field: 'leg', value: leg, negate });
        else problems.push(`Unknown leg "${value}": use in, stdin, stdout or out`);
        break;
      }
      case 'kind': {
        const kind = KIND_NAMES[value.toLowerCase()];
        if (kind) terms.push({ field: 'kind', value: kind, negate });
        else problems.push(`Unknown kind "${value}": use request, response, notification, error, noise…`);
        break;
      }
      case 'transport': {
        const t = TRANSPORTS.find((x) => x === value.toLowerCase());
        if (t) terms.push({ field: 'transport', value: t, negate });
        else problems.push(`Unknown transport "${value}": use http, sse or stdio`);
        break;
      }
      case 'by': {
        const owner = OWNER_NAMES[value.toLowerCase()];
        if (owner) terms.push({ field: 'by', value: owner, negate });
        else problems.push(`Unknown owner "${value}": use by:patchbay or by:user`);
        break;
      }
      default:
        // `https://…` or `foo:bar` in a payload: plain text, not a mistake.
        terms.push({ field: 'text', value: token, negate: false });
    }
  }
  return { terms, problems };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One term as a test. Text uses a case-insensitive RegExp: no lower-cased copy of each raw frame. */
function termTest(term: FilterTerm): FramePredicate {
  switch (term.field) {
    case 'method': {
      const re = new RegExp(escapeRegExp(term.value), 'i');
      // A response or progress matches by its request's method: `method:tools/call` shows whole calls.
      return (f) => {
        if (f.method !== undefined && re.test(f.method)) return true;
        const asked = requestMethodOf(f);
        return asked !== undefined && re.test(asked);
      };
    }
    case 'session': {
      const prefix = term.value.toLowerCase();
      return (f) => f.sessionId !== undefined && f.sessionId.toLowerCase().startsWith(prefix);
    }
    case 'id':
      return (f) => f.rpcId !== undefined && String(f.rpcId) === term.value;
    case 'leg':
      return (f) => f.leg === term.value;
    case 'kind':
      return (f) => f.kind === term.value;
    case 'transport':
      return (f) => f.transport === term.value;
    case 'by':
      return term.value === 'patchbay' ? (f) => f.by !== undefined : (f) => f.by === undefined;
    case 'text': {
      const re = new RegExp(escapeRegExp(term.value), 'i');
      return (f) => re.test(f.raw);
    }
  }
}

/** Whether the filter asks for Patchbay's own frames, which are hidden otherwise. */
function asksForOwn(parsed: ParsedFilter, options: FilterOptions): boolean {
  if (options.showOwn === true || options.kind === 'note') return true;
  return parsed.terms.some(
    (t) =>
      (t.field === 'by' && (t.value === 'patchbay') !== t.negate) ||
      (t.field === 'kind' && !t.negate && t.value === 'note'),
  );
}

/** The typed filter, the quick selects and the toggles as one test per frame. */
export function compileFilter(parsed: ParsedFilter, options: FilterOptions = {}): FramePredicate {
  const tests: FramePredicate[] = [];
  for (const term of parsed.terms) {
    const test = termTest(term);
    tests.push(term.negate ? (f) => !test(f) : test);
  }
  if (options.leg) tests.push(termTest({ field: 'leg', value: options.leg, negate: false }));
  if (options.kind) tests.push(termTest({ field: 'kind', value: options.kind, negate: false }));
  if (options.session) tests.push(termTest({ field: 'session', value: options.session, negate: false }));
  const askedForQuiet =
    options.showKeepalives === true ||
    (options.kind !== undefined && QUIET_KINDS.has(options.kind)) ||
    parsed.terms.some((t) => t.field === 'kind' && !t.negate && QUIET_KINDS.has(t.value));
  const showOwn = asksForOwn(parsed, options);
  // What is hidden by default is one test, not two: it runs on every frame of the view.
  if (!askedForQuiet && !showOwn) tests.unshift((f) => f.by === undefined && !QUIET_KINDS.has(f.kind));
  else if (!askedForQuiet) tests.unshift((f) => !QUIET_KINDS.has(f.kind));
  else if (!showOwn) tests.unshift((f) => f.by === undefined);
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  return (f) => {
    for (const t of tests) if (!t(f)) return false;
    return true;
  };
}
