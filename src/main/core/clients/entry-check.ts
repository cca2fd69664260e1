import type { EntryKind } from '@shared/connect';

export type { EntryKind };
import type { ConnectServer } from './client-catalog';
import { bearer, entryTarget } from './client-entries';

/**
 * How an entry in a client's file relates to a Patchbay server:
 * - `current`: it reaches the server as it is now (URL, and token when one is set).
 * - `stale`: it is this server's entry but out of date — another port or loopback name, or
 *   an old or missing token.
 * - `other`: a different server that happens to have the name (a command, another host).
 */

export interface EntryCheck {
  kind: EntryKind;
  url?: string;
  /** Why it is stale or other, in words for the user. */
  problems: string[];
}

export function checkEntry(entry: unknown, server: ConnectServer): EntryCheck {
  const target = entryTarget(entry);
  const url = target.url;
  if (url === undefined) return { kind: 'other', problems: ['is a different server (it has no URL)'] };
  if (!sameUrl(url, server.url) && !samePlace(url, server.url)) {
    return { kind: 'other', url, problems: [`is a different server (it points at ${url})`] };
  }
  const problems: string[] = [];
  if (!sameUrl(url, server.url)) problems.push(`points at ${url}; the server is at ${server.url}`);
  if (server.token !== undefined) {
    const auth = target.authorization;
    if (auth === undefined) problems.push('sends no token; the server needs one');
    // A `${VAR}` the client fills in at launch cannot be checked from here.
    else if (!auth.includes('${') && auth !== bearer(server.token)) problems.push('sends an old token');
  }
  return { kind: problems.length === 0 ? 'current' : 'stale', url, problems };
}

export function sameUrl(a: string, b: string): boolean {
  const x = parseUrl(a);
  const y = parseUrl(b);
  return x !== undefined && y !== undefined && x.href === y.href;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Same protocol and path on the same host, or on two names for this machine: the same
 * Patchbay endpoint under an older port or spelling. A server keeps its port for life, so this
 * is a server re-created, moved, or a client entry from before an edit.
 */
function samePlace(a: string, b: string): boolean {
  const x = parseUrl(a);
  const y = parseUrl(b);
  if (x === undefined || y === undefined) return false;
  const sameHost = x.hostname === y.hostname || (LOOPBACK.has(x.hostname) && LOOPBACK.has(y.hostname));
  return x.protocol === y.protocol && sameHost && x.pathname === y.pathname;
}

function parseUrl(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}
