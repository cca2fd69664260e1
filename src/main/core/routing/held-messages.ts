import type { JsonRpcMessage } from '../jsonrpc/message';
import type { SlotState } from '../stdio/process-slot';

/** How long a held message waits for a restarted process to be up and re-initialized. */
export const READY_BOUND_MS = 20_000;
/** A restart due later than this is not waited for: the request fails at once, saying when. */
export const MAX_RESTART_WAIT_MS = 10_000;

/** A client message waiting for the shared process to be up again. */
export interface Held<S> {
  session: S;
  msg: JsonRpcMessage;
  raw: string;
  /** Epoch ms after which it is given up. */
  deadline: number;
}

/**
 * Client messages that arrived while the shared process was down or being re-initialized,
 * in arrival order. Bounded in count, and each waits no longer than its deadline: one
 * timer (for the earliest deadline) hands the expired ones to `onExpired`.
 */
export class HeldMessages<S> {
  private items: Held<S>[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly max: number,
    private readonly onExpired: (expired: Held<S>[]) => void,
  ) {}

  get size(): number {
    return this.items.length;
  }

  /** Holds one message; false when the queue is full (the caller answers at once). */
  hold(item: Held<S>): boolean {
    if (this.items.length >= this.max) return false;
    this.items.push(item);
    this.arm();
    return true;
  }

  /** Removes and returns what matches (a closing session's messages, a cancelled request). */
  take(match: (item: Held<S>) => boolean): Held<S>[] {
    const taken: Held<S>[] = [];
    this.items = this.items.filter((item) => {
      if (!match(item)) return true;
      taken.push(item);
      return false;
    });
    this.arm();
    return taken;
  }

  /** Removes and returns everything, in arrival order. */
  drain(): Held<S>[] {
    return this.take(() => true);
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.items.length === 0) return;
    let earliest = Infinity;
    for (const item of this.items) earliest = Math.min(earliest, item.deadline);
    this.timer = setTimeout(() => this.expire(), Math.max(0, earliest - Date.now()));
    this.timer.unref();
  }

  private expire(): void {
    this.timer = undefined;
    const now = Date.now();
    const expired = this.take((item) => item.deadline <= now);
    if (expired.length > 0) this.onExpired(expired);
  }
}

/** When a message held for the process is given up, or (a string) why it cannot wait at all. */
export function holdDeadline(slot: SlotState, now = Date.now()): number | string {
  if (slot.status === 'starting' || slot.status === 'running') return now + READY_BOUND_MS;
  const why = unavailableReason(slot, now);
  if (why !== undefined) return why;
  return (slot.status === 'crashed' && slot.restartAt !== undefined ? slot.restartAt : now) + READY_BOUND_MS;
}

/** Why the slot will not have a process soon; undefined while a start is under way or due soon. */
export function unavailableReason(slot: SlotState, now = Date.now()): string | undefined {
  if (slot.status === 'starting' || slot.status === 'running') return undefined;
  if (slot.status !== 'crashed') return `The MCP server is ${slot.status}`;
  if (slot.restartAt === undefined) return `The MCP server crashed (${slot.reason}); restarts are off`;
  if (slot.restartAt - now > MAX_RESTART_WAIT_MS) {
    const inSeconds = Math.ceil((slot.restartAt - now) / 1000);
    return `The MCP server crashed (${slot.reason}); Patchbay restarts it in ${inSeconds} s`;
  }
  return undefined;
}
