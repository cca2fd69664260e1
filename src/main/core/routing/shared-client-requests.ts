import { RpcErrorCode } from '../jsonrpc/errors';
import type { JsonRpcRequest } from '../jsonrpc/message';
import type { ClientDetails } from './session';

/** Which client capability a server→client request needs. */
const CAPABILITY_FOR: Record<string, string | undefined> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

/**
 * The shared process is initialized once, but later clients may be able to do more than
 * the first. So it is told the client can sample, elicit and list roots (the union of
 * what any client might declare); Patchbay answers for a session that cannot (see
 * `routeServerRequest`). The trade-off: a server then offers tools (e.g. server-everything's
 * `trigger-sampling-request`) that fail for clients without the capability.
 */
export function withEveryClientCapability(params: Record<string, unknown>): Record<string, unknown> {
  const declared = params['capabilities'];
  const caps: Record<string, unknown> =
    typeof declared === 'object' && declared !== null ? { ...declared } : {};
  caps['sampling'] ??= {};
  caps['elicitation'] ??= {};
  caps['roots'] ??= {};
  return { ...params, capabilities: caps };
}

/** What to do with a server→client request in shared mode. */
export type ServerRequestRoute<S> =
  | { to: 'session'; session: S }
  | { to: 'server'; result: unknown }
  | { to: 'server'; error: { code: number; message: string } };

/** The part of a session this decision reads. */
export interface Requester {
  readonly client: ClientDetails;
}

/**
 * Decides who answers a server→client request (sampling, elicitation, roots, ping) in
 * shared mode. `busy` are the sessions with a request at the server now. The request goes
 * to a session only when attribution is certain: exactly one session has a request in
 * flight and it declared the capability. Nothing is ever sent to an idle or another client
 * (issue 14: one client's private prompt reached another's model).
 */
export function routeServerRequest<S extends Requester>(
  msg: JsonRpcRequest,
  busy: readonly S[],
): ServerRequestRoute<S> {
  const owner = busy.length === 1 ? busy[0] : undefined;
  if (owner !== undefined) {
    return clientCan(owner.client, msg) ? { to: 'session', session: owner } : answerFor(msg);
  }
  // Ping asks whether the other end is alive, and Patchbay is that end. An error here
  // would make a server with a keep-alive (the Go SDK's, for one) drop its only client.
  if (msg.method === 'ping') return { to: 'server', result: {} };
  const why =
    busy.length === 0
      ? 'no client has a request in flight'
      : `${busy.length} clients have requests in flight`;
  return {
    to: 'server',
    error: {
      code: RpcErrorCode.MethodNotFound,
      message: `Patchbay (shared mode) cannot tell which client ${msg.method} is for: ${why}. It was not sent to any client.`,
    },
  };
}

/** True when the client declared what the request needs (URL elicitation needs `elicitation.url`). */
export function clientCan(client: ClientDetails, msg: JsonRpcRequest): boolean {
  const capability = CAPABILITY_FOR[msg.method];
  if (capability === undefined) return true;
  const declared = client.capabilities?.[capability];
  if (declared === undefined) return false;
  if (msg.method === 'elicitation/create' && msg.params?.['mode'] === 'url') {
    return typeof declared === 'object' && declared !== null && 'url' in declared;
  }
  return true;
}

/** Patchbay's answer for a client that lacks the capability: what such a client would mean. */
export function answerFor<S>(msg: JsonRpcRequest): ServerRequestRoute<S> {
  switch (msg.method) {
    case 'roots/list':
      return { to: 'server', result: { roots: [] } };
    case 'elicitation/create':
      return { to: 'server', result: { action: 'decline' } };
    default:
      return {
        to: 'server',
        error: {
          code: RpcErrorCode.MethodNotFound,
          message: `The client that made this request cannot handle ${msg.method} (it did not declare the capability); Patchbay answers for it in shared mode.`,
        },
      };
  }
}
