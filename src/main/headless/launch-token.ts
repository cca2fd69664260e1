import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'patchbay_token';

/**
 * The per-launch secret of `patchbay serve`. The printed URL carries it once
 * (`?token=`); the server then sets it as an HttpOnly, SameSite=Strict cookie that every
 * later request (assets, the WebSocket upgrade) must present.
 */
export class LaunchToken {
  readonly value = randomBytes(24).toString('base64url');

  /** The token from `?token=` in a URL, if present. */
  fromQuery(url: string): string | undefined {
    return new URL(url, 'http://x').searchParams.get('token') ?? undefined;
  }

  /** True when the request's cookie (or query) carries the token. */
  matches(req: IncomingMessage): boolean {
    const given = this.fromQuery(req.url ?? '/') ?? cookie(req.headers.cookie, TOKEN_COOKIE);
    if (given === undefined) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(this.value);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  setCookieHeader(): string {
    return `${TOKEN_COOKIE}=${this.value}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

function cookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
