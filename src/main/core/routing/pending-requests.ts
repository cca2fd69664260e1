import { type JsonRpcId, idKey } from '../jsonrpc/message';

/** A client request waiting for its response. */
export interface PendingRequest {
  id: JsonRpcId;
  method: string;
  startedAt: number;
  progressToken: JsonRpcId | undefined;
}

/**
 * The requests of one session that have no response yet: failed at once when the
 * process dies, matched to responses and progress, and used to decide which
 * request a server message belongs to.
 */
export class PendingRequests {
  private readonly byId = new Map<string | number, PendingRequest>();
  private readonly byToken = new Map<string | number, PendingRequest>();

  get size(): number {
    return this.byId.size;
  }

  add(id: JsonRpcId, method: string, progressToken: JsonRpcId | undefined): void {
    const entry: PendingRequest = { id, method, startedAt: Date.now(), progressToken };
    this.byId.set(idKey(id), entry);
    if (progressToken !== undefined) this.byToken.set(idKey(progressToken), entry);
  }

  has(id: JsonRpcId): boolean {
    return this.byId.has(idKey(id));
  }

  /** Removes and returns the request answered by `id`. */
  take(id: JsonRpcId): PendingRequest | undefined {
    const key = idKey(id);
    const entry = this.byId.get(key);
    if (entry === undefined) return undefined;
    this.byId.delete(key);
    if (entry.progressToken !== undefined) this.byToken.delete(idKey(entry.progressToken));
    return entry;
  }

  /** The request that asked for progress with this token. */
  byProgressToken(token: JsonRpcId): PendingRequest | undefined {
    return this.byToken.get(idKey(token));
  }

  /** The id of the only request in flight, when there is exactly one. */
  soleId(): JsonRpcId | undefined {
    if (this.byId.size !== 1) return undefined;
    for (const entry of this.byId.values()) return entry.id;
    return undefined;
  }

  /** Removes and returns everything (the process died or the session ended). */
  drain(): PendingRequest[] {
    const all = [...this.byId.values()];
    this.byId.clear();
    this.byToken.clear();
    return all;
  }
}
