import type { ServerConfig, ServerInput } from '@shared/server-config';
import type { ImportedServer } from '../clients/import/imported-server';

/** A name the server schema accepts: other characters become dashes (`@scope/x` → `scope-x`). */
export function sanitizeName(name: string): string {
  const cleaned = name
    .replace(/[^\p{L}\p{N} ._-]+/gu, '-')
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .replace(/-+$/u, '')
    .slice(0, 60);
  return cleaned === '' ? 'server' : cleaned;
}

/** The settings a found client entry becomes; names are made unique against `taken`. */
export function toServerInput(entry: ImportedServer, taken: Set<string>): ServerInput {
  const base = sanitizeName(entry.name);
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}`;
  taken.add(name.toLowerCase());
  const input: ServerInput = {
    name,
    command: entry.command,
    args: entry.args,
    env: Object.entries(entry.env).map(([key, value]) => ({ key, value, secret: looksSecret(key) })),
  };
  if (entry.cwd) input.cwd = entry.cwd;
  return input;
}

/** Names that usually hold credentials are stored encrypted from the start. */
function looksSecret(key: string): boolean {
  return /(token|secret|password|passwd|api[_-]?key|credential|private)/i.test(key);
}

/** The existing servers in the shape the scanner compares against. */
export function existingForScan(
  servers: ServerConfig[],
): { name: string; command: string; args: string[]; env: Record<string, string | undefined> }[] {
  return servers.map((s) => ({
    name: s.name,
    command: s.command,
    args: s.args,
    env: Object.fromEntries(s.env.map((v) => [v.key, v.value])),
  }));
}
