/** Revisions the proxy serves, oldest first (PROTOCOL.md). */
export const SUPPORTED_VERSIONS = [
  '2024-11-05',
  '2025-03-26',
  '2025-06-18',
  '2025-11-25',
  '2026-07-28',
] as const;

export const STATELESS_VERSION = '2026-07-28';

const supported = new Set<string>(SUPPORTED_VERSIONS);

export function isSupportedVersion(v: string): boolean {
  return supported.has(v);
}

/** True when `v` is at least `min` (revision strings sort by date). */
export function atLeast(v: string, min: string): boolean {
  return v >= min;
}
