import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a `patchbay serve` child looks for AI clients' config files: HOME, plus the variables
 * that move them elsewhere. Tests point them at a fresh folder so this machine's own
 * ~/.cursor, ~/.claude.json… are never read or written.
 */
const HOME_VARS = ['USERPROFILE', 'XDG_CONFIG_HOME', 'APPDATA', 'CODEX_HOME', 'CLINE_DATA_DIR'];

/** A fresh home folder and the environment for a child that should live in it. */
export function tempHome(): { home: string; env: NodeJS.ProcessEnv } {
  const home = mkdtempSync(join(tmpdir(), 'patchbay-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  for (const k of HOME_VARS) delete env[k];
  return { home, env };
}
