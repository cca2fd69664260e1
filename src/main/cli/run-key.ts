import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE, ensurePrivateDir } from '../core/data-dir';

/** Whether `patchbay run` requires a key when given none (`--no-key` turns it off). */
export const RUN_KEY_BY_DEFAULT = true;

/** A new key: 32 random bytes, base64url (URL-safe as is, so capability URLs need no escaping). */
export function newKey(): string {
  return randomBytes(32).toString('base64url');
}

export interface RunKeySources {
  port: number;
  noKey: boolean;
  /** `--token-file`: the key is the file's first line. */
  file?: string;
  /** `PATCHBAY_TOKEN`. */
  env?: string;
  /** `--token` on the command line: accepted, with a warning (`ps` shows it to every local user). */
  argv?: string;
  /** Where a per-port key is kept when none is given. */
  dataDir: string;
  warn(text: string): void;
  /** Tests turn the default off; the CLI uses RUN_KEY_BY_DEFAULT. */
  byDefault?: boolean;
}

/**
 * The key `patchbay run` requires, or undefined for none: from `--token-file`, else
 * `PATCHBAY_TOKEN`, else `--token`; else (unless `--no-key`) the one kept for this port in
 * the data dir (0600), made on first use so the printed URLs survive a restart. Port 0 gets
 * a fresh key each launch (its URL changes anyway).
 */
export function runKey(s: RunKeySources): string | undefined {
  const given = [s.file, s.env, s.argv].filter((v) => v !== undefined).length;
  if (s.noKey && given > 0)
    throw new Error('--no-key cannot go with --token-file, PATCHBAY_TOKEN or --token');
  if (s.argv !== undefined) {
    s.warn(
      '--token on the command line is visible to other local users (ps); use --token-file or PATCHBAY_TOKEN',
    );
  }
  const chosen = s.file !== undefined ? readKeyFile(s.file) : (s.env ?? s.argv);
  if (chosen !== undefined) {
    if (chosen.length < 8) throw new Error('the key must be at least 8 characters');
    return chosen;
  }
  if (s.noKey || !(s.byDefault ?? RUN_KEY_BY_DEFAULT)) {
    if (s.noKey) s.warn('--no-key: any local program can reach this server and start its command');
    return undefined;
  }
  if (s.port === 0) return newKey();
  return keptKey(s.dataDir, s.port);
}

function readKeyFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(
      `cannot read --token-file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      { cause: err },
    );
  }
  const key = text.split(/\r?\n/)[0]!.trim();
  if (key === '') throw new Error(`--token-file ${path} is empty`);
  return key;
}

/** The key kept for `port` in `<dataDir>/run-keys/` (0700), made (0600) on first use. */
function keptKey(dataDir: string, port: number): string {
  const dir = join(dataDir, 'run-keys');
  ensurePrivateDir(dir);
  const file = join(dir, `port-${port}.key`);
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 8) return kept;
  }
  const key = newKey();
  writeFileSync(file, `${key}\n`, { mode: PRIVATE_FILE_MODE });
  return key;
}
