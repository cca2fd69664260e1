import type { ConnectClientId } from './client-catalog';

/**
 * Clients prefix tool names with the server's name (`mcp__<server>__<tool>` in Claude Code) and
 * models cap tool names at 64 characters, so a long server name silently costs tools. 32 leaves
 * room for the tool's own name.
 */
const MAX_NAME = 32;

/**
 * The name a client gets for a Patchbay server, in the form that client accepts:
 * - Claude Code and Codex refuse anything but letters, digits, `-` and `_` (`claude mcp add`:
 *   "Names can only contain letters, numbers, hyphens, and underscores"; Codex:
 *   "use letters, numbers, '-', '_'"); the others take any key, but the same rule keeps every
 *   client's tool prefixes readable, so all get it.
 * - Gemini CLI: no `_`, its policy engine splits `mcp_<server>_<tool>` at the first underscore
 *   (https://geminicli.com/docs/tools/mcp-server).
 * - VS Code: camelCase, "avoid using whitespace or special characters"
 *   (https://code.visualstudio.com/docs/copilot/reference/mcp-configuration#_server-naming-conventions).
 */
export function clientServerName(client: ConnectClientId, name: string): string {
  const slug = slugName(name);
  if (client === 'gemini-cli') return trimDashes(slug.replace(/_+/g, '-').replace(/-+/g, '-')) || 'patchbay';
  if (client === 'vscode') return camelCase(slug);
  return slug;
}

/** Letters, digits, `-` and `_` only; accents dropped, runs of anything else become one `-`. */
export function slugName(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const slug = trimDashes(ascii.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+/g, '-')).slice(0, MAX_NAME);
  return trimDashes(slug) || 'patchbay';
}

function camelCase(slug: string): string {
  const words = slug.split(/[-_]+/).filter((w) => w !== '');
  const [first = 'patchbay', ...rest] = words;
  const head = first.charAt(0).toLowerCase() + first.slice(1);
  return head + rest.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function trimDashes(s: string): string {
  return s.replace(/^[-_]+|[-_]+$/g, '');
}
