import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import envPaths from 'env-paths';

/** Where `patchbay serve` and the CLI keep their database without --data-dir (XDG on Linux). */
export function defaultDataDir(): string {
  return envPaths('patchbay', { suffix: '' }).data;
}

/** Owner-only modes for what Patchbay keeps: commands, env values and frames are private. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and parents) owner-only, and tightens it when it exists: the data dir is
 * Patchbay's own, and earlier versions left it 0755.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Makes each existing file of `files` owner-only (0600); missing ones are skipped. */
export function makePrivate(...files: string[]): void {
  for (const f of files) if (existsSync(f)) chmodSync(f, PRIVATE_FILE_MODE);
}
