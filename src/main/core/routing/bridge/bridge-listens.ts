import type { JsonRpcNotification, JsonRpcResponse } from '../../jsonrpc/message';
import type { CallSink } from '../stateless-mux';
import { SUBSCRIPTION_ID } from './modern-results';

/** Open `subscriptions/listen` streams per bridge session. */
export const MAX_LISTENS = 256;
/** Resource URIs one listen may name. */
const MAX_URIS = 256;

interface Filter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
}

interface Listen {
  id: string | number;
  sink: CallSink;
  filter: Filter;
}

const LIST_CHANGED: Record<string, keyof Filter> = {
  'notifications/tools/list_changed': 'toolsListChanged',
  'notifications/prompts/list_changed': 'promptsListChanged',
  'notifications/resources/list_changed': 'resourcesListChanged',
};

/**
 * `subscriptions/listen` on a legacy session: the legacy list-changed notifications go to
 * every listen that asked for them, `resources/updated` to those subscribed to the URI
 * (`resources/subscribe` is sent once per URI, `unsubscribe` when the last listen goes).
 * Every notification carries the listen's id as `subscriptionId`.
 */
export class BridgeListens {
  private readonly open = new Set<Listen>();
  private readonly uriRefs = new Map<string, number>();

  constructor(
    private readonly legacy: {
      serverCapabilities(): Record<string, unknown> | undefined;
      request(method: string, params: Record<string, unknown>): Promise<JsonRpcResponse>;
    },
  ) {}

  get size(): number {
    return this.open.size;
  }

  /** Starts a listen: acknowledges what the server can honour; the stream stays open. */
  listen(id: string | number, params: Record<string, unknown> | undefined, sink: CallSink): () => void {
    const asked = params?.['notifications'];
    if (typeof asked !== 'object' || asked === null || Array.isArray(asked)) {
      sink.deliver(
        {
          jsonrpc: '2.0',
          id,
          error: {
            code: -32602,
            message: "Invalid params: 'notifications' is required and must be a SubscriptionFilter",
          },
        },
        '',
      );
      sink.end();
      return () => {};
    }
    if (this.open.size >= MAX_LISTENS) {
      sink.deliver({ jsonrpc: '2.0', id, error: { code: -32001, message: 'Too many open listens' } }, '');
      sink.end();
      return () => {};
    }
    const filter = this.honoured(asked);
    const l: Listen = { id, sink, filter };
    this.open.add(l);
    for (const uri of filter.resourceSubscriptions ?? []) {
      const n = this.uriRefs.get(uri) ?? 0;
      this.uriRefs.set(uri, n + 1);
      if (n === 0) void this.legacy.request('resources/subscribe', { uri });
    }
    sink.deliver(
      {
        jsonrpc: '2.0',
        method: 'notifications/subscriptions/acknowledged',
        params: { notifications: filter, _meta: { [SUBSCRIPTION_ID]: id } },
      },
      '',
    );
    return () => this.stop(l);
  }

  /** A legacy notification: to the listens that asked for it. */
  fromServer(msg: JsonRpcNotification): void {
    const key = LIST_CHANGED[msg.method];
    const uri = msg.params?.['uri'];
    for (const l of this.open) {
      const wanted = key
        ? l.filter[key] === true
        : msg.method === 'notifications/resources/updated' &&
          typeof uri === 'string' &&
          (l.filter.resourceSubscriptions ?? []).some(
            (s) => uri === s || uri.startsWith(s.endsWith('/') ? s : `${s}/`),
          );
      if (!wanted) continue;
      const params = msg.params ?? {};
      const meta = (params['_meta'] as object | undefined) ?? {};
      l.sink.deliver({ ...msg, params: { ...params, _meta: { ...meta, [SUBSCRIPTION_ID]: l.id } } }, '');
    }
  }

  /** The legacy session ended: every listen ends gracefully with its result. */
  endAll(): void {
    for (const l of [...this.open]) {
      this.open.delete(l);
      l.sink.deliver(
        { jsonrpc: '2.0', id: l.id, result: { resultType: 'complete', _meta: { [SUBSCRIPTION_ID]: l.id } } },
        '',
      );
      l.sink.end();
    }
    this.uriRefs.clear();
  }

  private stop(l: Listen): void {
    if (!this.open.delete(l)) return;
    for (const uri of l.filter.resourceSubscriptions ?? []) {
      const n = (this.uriRefs.get(uri) ?? 1) - 1;
      if (n > 0) {
        this.uriRefs.set(uri, n);
        continue;
      }
      this.uriRefs.delete(uri);
      void this.legacy.request('resources/unsubscribe', { uri });
    }
    l.sink.end();
  }

  /** The subset of `asked` the legacy server can deliver (its initialize capabilities). */
  private honoured(asked: Filter): Filter {
    const caps = this.legacy.serverCapabilities() ?? {};
    const has = (kind: string, flag: string) =>
      (caps[kind] as Record<string, unknown> | undefined)?.[flag] === true;
    const out: Filter = {};
    if (asked.toolsListChanged === true && has('tools', 'listChanged')) out.toolsListChanged = true;
    if (asked.promptsListChanged === true && has('prompts', 'listChanged')) out.promptsListChanged = true;
    if (asked.resourcesListChanged === true && has('resources', 'listChanged'))
      out.resourcesListChanged = true;
    const uris = Array.isArray(asked.resourceSubscriptions)
      ? [...new Set(asked.resourceSubscriptions.filter((u): u is string => typeof u === 'string'))].slice(
          0,
          MAX_URIS,
        )
      : [];
    if (uris.length > 0 && has('resources', 'subscribe')) out.resourceSubscriptions = uris;
    return out;
  }
}
