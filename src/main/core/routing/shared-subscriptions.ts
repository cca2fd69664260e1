/** Resource subscriptions one session may hold (each is replayed after a crash). */
export const MAX_SUBSCRIPTIONS = 1024;

/** The part of a session this bookkeeping keeps its own list in. */
interface Subscriber {
  readonly subscriptions: Set<string>;
}

/**
 * Shared mode's resource subscriptions, reference-counted per URI: the one process is
 * subscribed while at least one session is, and `resources/updated` goes to those sessions.
 */
export class SharedSubscriptions<S extends Subscriber> {
  private readonly byUri = new Map<string, Set<S>>();

  /** URIs the process is subscribed to (replayed after a restart). */
  get uris(): string[] {
    return [...this.byUri.keys()];
  }

  /** The sessions subscribed to `uri`. */
  of(uri: string): Iterable<S> {
    return this.byUri.get(uri) ?? [];
  }

  /**
   * Records a subscribe: 'first' when the server must be asked, 'joined' when another
   * session holds it already, 'refused' past the per-session bound.
   */
  subscribe(session: S, uri: string): 'first' | 'joined' | 'refused' {
    if (!session.subscriptions.has(uri) && session.subscriptions.size >= MAX_SUBSCRIPTIONS) return 'refused';
    session.subscriptions.add(uri);
    const subs = this.byUri.get(uri);
    if (subs && subs.size > 0) {
      subs.add(session);
      return 'joined';
    }
    this.byUri.set(uri, new Set([session]));
    return 'first';
  }

  /** Drops one session's subscription; true when it was the last, so the server must be told. */
  unsubscribe(session: S, uri: string): boolean {
    session.subscriptions.delete(uri);
    const subs = this.byUri.get(uri);
    if (!subs?.delete(session) || subs.size > 0) return false;
    this.byUri.delete(uri);
    return true;
  }

  /** Drops everything a closing session holds; returns the URIs nobody holds any more. */
  release(session: S): string[] {
    const gone: string[] = [];
    for (const uri of [...session.subscriptions]) if (this.unsubscribe(session, uri)) gone.push(uri);
    return gone;
  }

  clear(): void {
    this.byUri.clear();
  }
}
