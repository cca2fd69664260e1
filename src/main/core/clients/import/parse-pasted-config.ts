import { type ParseError, parse } from 'jsonc-parser';
import { splitCommandLine } from '@shared/command-line';
import type { PastedConfig, PastedServer } from '@shared/imported-server';
import { ErrorCode, PatchbayError } from '../../errors';
import { type ParsedConfig, parseClientConfig } from './parse-client-config';

/**
 * Reads whatever a user copied from a README or a client's settings: a whole config file
 * (`mcpServers`, VS Code's `servers` or `mcp.servers`), a bare server map, one entry with or
 * without its name (`"fs": {…},` pasted out of a file), or a plain command line.
 */
export function parsePastedConfig(text: string): PastedConfig {
  const trimmed = text.trim().replace(/,$/, '');
  if (trimmed === '') throw new PatchbayError(ErrorCode.InvalidArgument, 'Paste a config snippet first');
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

/** `npx -y @modelcontextprotocol/server-everything@1.2` → `everything`; `node ./fs.js` → `fs`. */
export function nameFromCommand(command: string, args: readonly string[]): string {
  const target =
    args.find((a) => !a.startsWith('-') && a !== 'dlx' && a !== 'exec' && a !== 'run') ?? command;
  const base = target
    .replace(/@[\w.^~-]+$/, '') // version
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(m?js|cjs|ts|py|exe|cmd)$/i, '')
    .replace(/^(mcp-server-|server-|mcp-)/, '')
    .replace(/[-_]mcp(-server)?$/, '')
    .replace(/[^\p{L}\p{N} ._-]/gu, '');
  return base || 'server';
}

function commandLine(line: string): PastedConfig {
  const split = splitCommandLine(line);
  if (!split.ok)
    throw new PatchbayError(ErrorCode.InvalidArgument, `Cannot read that command: ${split.error}`);
  const [command, ...args] = split.words;
  if (!command) throw new PatchbayError(ErrorCode.InvalidArgument, 'Paste a config snippet first');
  return {
    servers: [{ name: nameFromCommand(command, args), command, args, env: {}, warnings: [] }],
    skipped: [],
  };
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
