import { getSpawnEnvPath } from './login-shell-path';

/**
 * The environment a server is spawned with: ours, with PATH widened to the login
 * shell's where GUI apps do not inherit it (macOS Dock), then the server's own vars.
 */
export async function spawnEnv(extra: Readonly<Record<string, string>> = {}): Promise<NodeJS.ProcessEnv> {
  const path = await getSpawnEnvPath((err) => console.error(`patchbay: login shell PATH: ${err.message}`));
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (path !== undefined) env[pathKey(env)] = path;
  return Object.assign(env, extra);
}

/** The PATH key as this environment spells it (`Path` on Windows). */
function pathKey(env: NodeJS.ProcessEnv): string {
  return Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
}
