import type { JsonRpcMessage, JsonRpcRequest } from '../jsonrpc/message';

/** Subscriptions remembered per session; a client past this gets its oldest dropped from the replay. */
export const MAX_REPLAYED_SUBSCRIPTIONS = 1024;

/**
 * What a session told its server that a new process must hear again for the session to go
 * on unchanged (PROTOCOL.md "Sessions outlive processes"): its `initialize` params, whether
 * it sent `notifications/initialized`, the last `logging/setLevel` and the resources it is
 * subscribed to. Fed every client message; bounded.
 */
export class SessionReplay {
  initializeParams: Record<string, unknown> | undefined;
  initializedSent = false;
  logLevel: unknown;
  /** Insertion-ordered, so the bound drops the oldest subscription first. */
  readonly subscriptions = new Set<string>();

  /** Records what `msg` changes in the server's state for this session. */
  note(msg: JsonRpcMessage): void {
    if (!('method' in msg)) return;
    const params = (msg as JsonRpcRequest).params;
    switch (msg.method) {
      case 'initialize':
        if ('id' in msg) this.initializeParams = params ?? {};
        return;
      case 'notifications/initialized':
        this.initializedSent = true;
        return;
      case 'logging/setLevel':
        if (params?.['level'] !== undefined) this.logLevel = params['level'];
        return;
      case 'resources/subscribe': {
        const uri = params?.['uri'];
        if (typeof uri !== 'string') return;
        this.subscriptions.delete(uri);
        this.subscriptions.add(uri);
        if (this.subscriptions.size > MAX_REPLAYED_SUBSCRIPTIONS) {
          const oldest = this.subscriptions.values().next().value;
          if (oldest !== undefined) this.subscriptions.delete(oldest);
        }
        return;
      }
      case 'resources/unsubscribe': {
        const uri = params?.['uri'];
        if (typeof uri === 'string') this.subscriptions.delete(uri);
        return;
      }
      default:
        return;
    }
  }

  /** The requests (method, params) that restore the recorded state after initialize, in order. */
  stateRequests(): { method: string; params: Record<string, unknown> }[] {
    const out: { method: string; params: Record<string, unknown> }[] = [];
    if (this.logLevel !== undefined)
      out.push({ method: 'logging/setLevel', params: { level: this.logLevel } });
    for (const uri of this.subscriptions) out.push({ method: 'resources/subscribe', params: { uri } });
    return out;
  }
}
