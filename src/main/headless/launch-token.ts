import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The per-launch secret of `patchbay serve`. The printed URL carries it in the fragment
 * (`#token=`), which browsers never send to any server; the page keeps it in
 * sessionStorage and sends it as the WebSocket's first message. It never rides a cookie:
 * cookies are not isolated by port, so every other local port the browser visits would
 * receive it.
 */
export class LaunchToken {
  readonly value = randomBytes(24).toString('base64url');

  /** True when `given` is this launch's token (constant time). */
  matches(given: unknown): boolean {
    if (typeof given !== 'string') return false;
    const a = Buffer.from(given);
    const b = Buffer.from(this.value);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
