import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const cliBin = resolve(repoRoot, 'bin/patchbay.js');
export const builtCli = resolve(repoRoot, 'out/main/cli.js');

/** Fails fast with the fix when a test needs the build and it is missing. */
export function requireBuild(): void {
  if (!existsSync(builtCli)) throw new Error('out/ is missing: run `npm run build` (npm test does it first)');
}
