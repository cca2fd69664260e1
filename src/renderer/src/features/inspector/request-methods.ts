import type { Frame } from '@shared/frames';
import { parseMessage } from './frame-format';

/** Open requests and progress tokens remembered per index; the oldest go first. */
const MAX_REMEMBERED = 20_000;

/** The method of the request a response, error or progress notification belongs to. */
const answered = new WeakMap<Frame, string>();

/** The request's method for a response, error or progress frame (they carry none of their own). */
export function requestMethodOf(f: Frame): string | undefined {
  return answered.get(f);
}

/** HTTP legs and stdio legs number ids apart (shared mode renumbers), as do the two directions. */
function side(f: Frame): 'http' | 'stdio' {
  return f.leg === 'client→proxy' || f.leg === 'proxy→client' ? 'http' : 'stdio';
}

/** True when the message travels towards the server (a client's request, a server's answer going back). */
function down(f: Frame): boolean {
  return f.leg === 'client→proxy' || f.leg === 'proxy→server';
}

const idKey = (f: Frame, fromClient: boolean) =>
  `${f.sessionId ?? ''}\u0000${side(f)}\u0000${fromClient ? 'c' : 's'}\u0000${typeof f.rpcId}:${String(f.rpcId)}`;

const tokenKey = (f: Frame, token: unknown) => `${f.sessionId ?? ''}\u0000${typeof token}:${String(token)}`;

function progressTokenOf(msg: unknown, path: 'request' | 'progress'): unknown {
  if (typeof msg !== 'object' || msg === null) return undefined;
  const params = (msg as { params?: unknown }).params;
  if (typeof params !== 'object' || params === null) return undefined;
  if (path === 'progress') return (params as { progressToken?: unknown }).progressToken;
  const meta = (params as { _meta?: unknown })._meta;
  if (typeof meta !== 'object' || meta === null) return undefined;
  return (meta as { progressToken?: unknown }).progressToken;
}

/**
 * Pairs answers with their requests as frames arrive, so `method:tools/call` also finds the
 * responses (which carry no method: matched by session, side, direction and id) and the
 * progress notifications (matched by session and progress token). Bounded maps.
 */
export class RequestMethods {
  private readonly byId = new Map<string, string>();
  private readonly byToken = new Map<string, string>();

  /** Records a request, or marks an answer or progress frame with its request's method. */
  note(f: Frame): void {
    if (f.kind === 'request' && f.method !== undefined && f.rpcId !== undefined) {
      remember(this.byId, idKey(f, down(f)), f.method);
      // Only a request that asks for progress is parsed (cheap test first: no parse per request).
      if (f.raw.includes('progressToken')) {
        const token = progressTokenOf(parseMessage(f.raw), 'request');
        if (typeof token === 'string' || typeof token === 'number')
          remember(this.byToken, tokenKey(f, token), f.method);
      }
      return;
    }
    if ((f.kind === 'response' || f.kind === 'error') && f.rpcId !== undefined) {
      // An answer travels against its request: an upward answer answers a client's request.
      const method = this.byId.get(idKey(f, !down(f)));
      if (method !== undefined) answered.set(f, method);
      return;
    }
    if (f.method === 'notifications/progress' && f.raw.includes('progressToken')) {
      const token = progressTokenOf(parseMessage(f.raw), 'progress');
      if (typeof token !== 'string' && typeof token !== 'number') return;
      const method = this.byToken.get(tokenKey(f, token));
      if (method !== undefined) answered.set(f, method);
    }
  }

  clear(): void {
    this.byId.clear();
    this.byToken.clear();
  }
}

function remember(map: Map<string, string>, key: string, method: string): void {
  map.delete(key);
  map.set(key, method);
  if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value!);
}
