import type { ServerResponse } from 'node:http';

/** Sent on every UI response: no page may frame the UI, and no URL leaks as a Referer. */
export const UI_SECURITY_HEADERS = {
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
} as const;

export function setUiSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(UI_SECURITY_HEADERS)) res.setHeader(name, value);
}

/**
 * A same-server redirect target for `pathname`. Leading slashes (and backslashes, which
 * browsers read as slashes) collapse to one: `//evil.example/` would be another host.
 */
export function localRedirectTarget(pathname: string, search: string): string {
  return `/${pathname.replace(/^[/\\]+/, '')}${search}`;
}
