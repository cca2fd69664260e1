import { type ParseError, parse } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { splitCommandLine } from '@shared/command-line';
import { MAX_PASTE_CHARS, type PastedConfig, type PastedServer } from '@shared/imported-server';
import { nameFromCommand } from '@shared/server-name';
import { ErrorCode, PatchbayError } from '../../errors';
import { isCliAdd, parseCliAdd } from './parse-cli-add';
import { type ParsedConfig, parseClientConfig } from './parse-client-config';

/** Moved to src/shared (the Add form derives names too); kept importable from here. */
export { nameFromCommand };

/** More words than any real command line: past this, the text is prose, not a command. */
const MAX_COMMAND_WORDS = 200;
/** README set-up steps that sit beside the snippet: installs, clones, `cd`. */
const INSTALL_STEP =
  /^(?:sudo\s+)?(?:(?:npm|pnpm|yarn|bun)\s+(?:i|install|add|ci)|(?:pip3?|pipx|uv\s+(?:tool|pip)|brew|cargo|go|gem|apt(?:-get)?)\s+install|git\s+clone|cd)\b/;

/**
 * Reads whatever a user copied from a README or a client's settings: a whole config file
 * (`mcpServers`, VS Code's `servers` or `mcp.servers`, Codex's `[mcp_servers.*]` TOML), a bare
 * server map, one entry with or without its name (`"fs": {…},` pasted out of a file), a
 * client's add command (`claude mcp add fs -- npx …`), a plain command line, or a markdown
 * section whose fenced code blocks hold any of these.
 */
export function parsePastedConfig(text: string): PastedConfig {
  if (text.length > MAX_PASTE_CHARS) {
    throw new PatchbayError(
      ErrorCode.InvalidArgument,
      `That text is ${Math.round(text.length / 1024)} KB; a config snippet fits in ${MAX_PASTE_CHARS / 1024} KB. Paste just the server's entry or its README section.`,
    );
  }
  const blocks = fencedBlocks(text);
  return blocks.length > 0 ? fromBlocks(blocks) : parseSnippet(text);
}

function parseSnippet(text: string): PastedConfig {
  const trimmed = text.trim().replace(/,$/, '');
  if (trimmed === '') throw new PatchbayError(ErrorCode.InvalidArgument, 'Paste a config snippet first');
  if (/^\s*\[mcp_servers\.[^\]]+\]/m.test(trimmed)) return codexToml(trimmed);
  if (!trimmed.startsWith('{') && !trimmed.startsWith('"')) return commandLine(trimmed);
  const wrapped = trimmed.startsWith('"') ? `{${trimmed}}` : trimmed;
  // Lenient like the clients (comments, trailing commas); a broken text is left to the client
  // parser, whose error names the line and column.
  const errors: ParseError[] = [];
  const value: unknown = parse(wrapped, errors, { allowTrailingComma: true });
  const root = errors.length === 0 ? value : undefined;
  const parsed = parseClientConfig(asServerFile(root, wrapped), shapeOf(root));
  return fromParsed(parsed);
}

/** The bodies of markdown code fences (```json … ```, ~~~ … ~~~), in order. */
function fencedBlocks(text: string): string[] {
  const blocks: string[] = [];
  for (const m of text.matchAll(/^[ \t]*(`{3,}|~{3,})[^\n]*\n([\s\S]*?)^[ \t]*\1[ \t]*$/gm)) {
    if (m[2]!.trim() !== '') blocks.push(m[2]!);
  }
  return blocks;
}

/** Every block read on its own; a block that is not a snippet (an install step) is passed over. */
function fromBlocks(blocks: string[]): PastedConfig {
  const out: PastedConfig = { servers: [], skipped: [] };
  let firstError: unknown;
  for (const block of blocks) {
    try {
      const r = parseSnippet(block);
      out.servers.push(...r.servers);
      out.skipped.push(...r.skipped);
    } catch (err) {
      firstError ??= err;
    }
  }
  if (out.servers.length === 0 && out.skipped.length === 0) throw firstError;
  return out;
}

/** Codex's `config.toml` (or a piece of it): `[mcp_servers.<name>]` tables. */
function codexToml(text: string): PastedConfig {
  let root: Record<string, unknown>;
  try {
    root = parseToml(text);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new PatchbayError(ErrorCode.InvalidArgument, `Cannot read that TOML: ${why}`);
  }
  return fromParsed(parseClientConfig(JSON.stringify({ mcpServers: root['mcp_servers'] }), 'mcpServers'));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shapeOf(root: unknown): 'mcpServers' | 'vscode' | 'vscode-settings' {
  if (!isObject(root) || 'mcpServers' in root) return 'mcpServers';
  if ('servers' in root) return 'vscode';
  if ('mcp' in root) return 'vscode-settings';
  return 'mcpServers';
}

/** Wraps a lone entry or a bare map into an `mcpServers` file the client parser reads. */
function asServerFile(root: unknown, text: string): string {
  if (!isObject(root) || 'mcpServers' in root || 'servers' in root || 'mcp' in root) return text;
  if (typeof root['command'] === 'string' || typeof root['url'] === 'string') {
    const name = typeof root['name'] === 'string' ? root['name'] : guessName(root);
    const { name: _drop, ...entry } = root;
    return JSON.stringify({ mcpServers: { [name]: entry } });
  }
  return JSON.stringify({ mcpServers: root });
}

function guessName(entry: Record<string, unknown>): string {
  const args = Array.isArray(entry['args']) ? entry['args'].filter((a) => typeof a === 'string') : [];
  return nameFromCommand(String(entry['command']), args);
}

function commandLine(text: string): PastedConfig {
  // A shell prompt copied along, and lines continued with a backslash, as READMEs show them.
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^\$\s+/, ''))
    .filter((l) => l !== '' && !l.startsWith('#'));
  const adds = lines.map(splitCommandLine).filter((s) => s.ok && isCliAdd(s.words));
  if (adds.length > 0) return mergeResults(adds.map((s) => parseCliAdd(s.ok ? s.words : [])));
  if (lines.length > 1) {
    throw new PatchbayError(
      ErrorCode.InvalidArgument,
      `That text has ${lines.length} lines and none is a server: paste one command line, a config entry, or a README section with its code block`,
    );
  }
  const line = lines[0] ?? '';
  const step = INSTALL_STEP.exec(line);
  if (step) {
    throw new PatchbayError(
      ErrorCode.InvalidArgument,
      `"${step[0]}" is a set-up step, not a server: paste the command that runs the server, or its config entry`,
    );
  }
  const split = splitCommandLine(line);
  if (!split.ok)
    throw new PatchbayError(ErrorCode.InvalidArgument, `Cannot read that command: ${split.error}`);
  const [command, ...args] = split.words;
  if (!command) throw new PatchbayError(ErrorCode.InvalidArgument, 'Paste a config snippet first');
  if (split.words.length > MAX_COMMAND_WORDS || looksLikeProse(split.words)) {
    throw new PatchbayError(
      ErrorCode.InvalidArgument,
      `That reads like prose, not a command (${split.words.length} words starting "${split.words.slice(0, 4).join(' ')}…"): paste a command line or a config entry`,
    );
  }
  return {
    servers: [{ name: nameFromCommand(command, args), command, args, env: {}, warnings: [] }],
    skipped: [],
  };
}

/** A sentence: a capitalised word first and a full stop at the end ("Run the server with npx."). */
function looksLikeProse(words: readonly string[]): boolean {
  return words.length >= 4 && /^\p{Lu}\p{Ll}+$/u.test(words[0]!) && /[.!?]$/.test(words.at(-1)!);
}

function mergeResults(results: PastedConfig[]): PastedConfig {
  return { servers: results.flatMap((r) => r.servers), skipped: results.flatMap((r) => r.skipped) };
}

function fromParsed(parsed: ParsedConfig): PastedConfig {
  const servers = parsed.entries.map((e) => {
    const s: PastedServer = {
      name: e.name,
      command: e.command,
      args: e.args,
      env: e.env,
      warnings: e.warnings,
    };
    if (e.cwd !== undefined) s.cwd = e.cwd;
    if (e.envFile !== undefined)
      s.warnings.push(`envFile ${e.envFile} is not read from a paste; add its variables`);
    return s;
  });
  const skipped = parsed.skipped.map((s) => ({ name: s.name, reason: s.reason }));
  if (servers.length === 0 && skipped.length === 0)
    throw new PatchbayError(
      ErrorCode.InvalidArgument,
      'No server found in that snippet: paste an entry with a "command"',
    );
  return { servers, skipped };
}
