import envPaths from 'env-paths';

/** Where `patchbay serve` and the CLI keep their database without --data-dir (XDG on Linux). */
export function defaultDataDir(): string {
  return envPaths('patchbay', { suffix: '' }).data;
}
