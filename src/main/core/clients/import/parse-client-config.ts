import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { ErrorCode, PatchbayError } from '../../errors';
import type { ConfigFormat } from './config-locations';

/** A stdio entry as written in one file; the scanner adds its source and reads `envFile`. */
export interface ParsedEntry {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** VS Code / Cursor: a dotenv file to load variables from, as written (may hold `${…}`). */
  envFile?: string;
  /** Claude Code local scope: the `projects` key the entry sits under in `~/.claude.json`. */
  project?: string;
  warnings: string[];
}

/** An entry the file holds but that cannot be imported as a stdio server. */
export interface ParsedSkip {
  name: string;
  kind: 'remote' | 'disabled' | 'invalid';
  reason: string;
  project?: string;
}

/** Everything one file yields. */
export interface ParsedConfig {
  entries: ParsedEntry[];
  skipped: ParsedSkip[];
}

/**
 * Reads one client config file's text into its stdio entries and the entries it skips.
 * Throws `PatchbayError(InvalidArgument)` when the file as a whole is unusable (bad JSON, not
 * an object); a bad entry only lands in `skipped`.
 */
export function parseClientConfig(text: string, format: ConfigFormat): ParsedConfig {
  const root = parseJsonObject(text);
  const out: ParsedConfig = { entries: [], skipped: [] };
  switch (format) {
    case 'claude-desktop':
    case 'mcpServers':
      readServerMap(root.mcpServers, 'mcpServers', out);
      break;
    case 'vscode':
      readServerMap(root.servers, 'servers', out);
      break;
    case 'vscode-settings': {
      const mcp = root.mcp;
      if (mcp === undefined) break;
      if (!isObject(mcp)) throw invalidFile('"mcp" is not an object');
      readServerMap(mcp.servers, 'mcp.servers', out);
      break;
    }
    case 'claude-code': {
      // User scope at the top; local scope per project folder. Other keys are Claude Code state.
      readServerMap(root.mcpServers, 'mcpServers', out);
      const projects = root.projects;
      if (projects === undefined) break;
      if (!isObject(projects)) throw invalidFile('"projects" is not an object');
      for (const [folder, project] of Object.entries(projects)) {
        if (isObject(project))
          readServerMap(project.mcpServers, `projects.${folder}.mcpServers`, out, folder);
      }
      break;
    }
  }
  return out;
}

function parseJsonObject(text: string): Record<string, unknown> {
  // Notepad and some Windows tools save JSON with a byte-order mark, which is not JSON.
  const body = text.replace(/^\uFEFF/, '');
  // Cursor and VS Code create an empty file when the user first opens the MCP config.
  if (body.trim() === '') return {};
  const errors: ParseError[] = [];
  // VS Code's files are JSONC; for the others the leniency only means fewer dead ends.
  const value: unknown = parse(body, errors, { allowTrailingComma: true });
  const first = errors[0];
  if (first !== undefined) {
    const { line, column } = position(body, first.offset);
    throw invalidFile(
      `not valid JSON: ${printParseErrorCode(first.error)} at line ${line}, column ${column}`,
    );
  }
  if (!isObject(value)) throw invalidFile('expected a JSON object at the top level');
  return value;
}

function readServerMap(map: unknown, key: string, out: ParsedConfig, project?: string): void {
  if (map === undefined) return;
  if (!isObject(map)) throw invalidFile(`"${key}" is not an object`);
  for (const [name, raw] of Object.entries(map)) {
    const result = readEntry(name, raw);
    if ('kind' in result) out.skipped.push(project === undefined ? result : { ...result, project });
    else out.entries.push(project === undefined ? result : { ...result, project });
  }
}

const REMOTE_TYPES = new Set(['http', 'sse', 'streamable-http', 'streamableHttp']);

const mustBeString = { error: 'must be a string' };
const StdioEntrySchema = z.object({
  command: z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a string') })
    .trim()
    .min(1, 'is empty'),
  args: z.array(z.string(mustBeString), { error: 'must be a list of strings' }).default([]),
  // Numbers and booleans are common hand-written slips ("PORT": 3000); their meaning is plain.
  env: z
    .record(
      z.string(),
      z.union([z.string(), z.number(), z.boolean()], mustBeString).transform((v) => String(v)),
      { error: 'must be an object of strings' },
    )
    .default({}),
  cwd: z.string(mustBeString).optional(),
  envFile: z.string(mustBeString).optional(),
});

function readEntry(name: string, raw: unknown): ParsedEntry | ParsedSkip {
  if (!isObject(raw)) return { name, kind: 'invalid', reason: 'not an object' };
  // Windsurf and Cline-style files keep turned-off servers with "disabled": true.
  if (raw.disabled === true) return { name, kind: 'disabled', reason: 'disabled in this config' };
  const type = raw.type;
  if (type !== undefined && typeof type !== 'string')
    return { name, kind: 'invalid', reason: 'type: must be a string' };
  // Windsurf spells the remote address serverUrl; the others url.
  const url =
    typeof raw.url === 'string' ? raw.url : typeof raw.serverUrl === 'string' ? raw.serverUrl : undefined;
  if ((type !== undefined && REMOTE_TYPES.has(type)) || (raw.command === undefined && url !== undefined)) {
    return { name, kind: 'remote', reason: remoteReason(type, url) };
  }
  if (type !== undefined && type !== 'stdio')
    return { name, kind: 'invalid', reason: `type: "${type}" is not stdio` };

  const parsed = StdioEntrySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : issue.path.join('.');
    return {
      name,
      kind: 'invalid',
      reason: `${where === '' ? 'entry' : where}: ${issue?.message ?? 'invalid'}`,
    };
  }
  const { command, args, env, cwd, envFile } = parsed.data;
  const entry: ParsedEntry = { name, command, args, env, warnings: [] };
  if (cwd !== undefined) entry.cwd = cwd;
  if (envFile !== undefined) entry.envFile = envFile;
  entry.warnings = variableWarnings(entry);
  return entry;
}

function remoteReason(type: string | undefined, url: string | undefined): string {
  // Only the origin: remote URLs often carry a key in their path or query.
  let where = '';
  if (url !== undefined) {
    try {
      where = ` at ${new URL(url).origin}`;
    } catch {
      where = '';
    }
  }
  return `remote ${type ?? 'url'} server${where}: Patchbay fronts local stdio servers`;
}

const VARIABLE = /\$\{[^}]*\}/g;

/**
 * Client variables (`${input:key}`, `${env:X}`, `${workspaceFolder}`, Claude Code's `${X:-d}`)
 * are kept verbatim: only the client can fill them in (an input is a prompt, often a secret),
 * and guessing would start the server with a wrong value. The user replaces them in Patchbay.
 * `envFile` is left to the scanner, which resolves what it can.
 */
function variableWarnings(entry: ParsedEntry): string[] {
  const fields = new Map<string, string[]>();
  const scan = (field: string, value: string): void => {
    for (const [variable] of value.matchAll(VARIABLE)) {
      const list = fields.get(variable) ?? [];
      if (!list.includes(field)) list.push(field);
      fields.set(variable, list);
    }
  };
  scan('command', entry.command);
  entry.args.forEach((arg, i) => scan(`args.${i}`, arg));
  for (const [key, value] of Object.entries(entry.env)) scan(`env.${key}`, value);
  if (entry.cwd !== undefined) scan('cwd', entry.cwd);
  return [...fields].map(
    ([variable, where]) =>
      `${variable} (${where.join(', ')}) is filled in by the client at launch; kept as written, replace it before starting`,
  );
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}

function invalidFile(message: string): PatchbayError {
  return new PatchbayError(ErrorCode.InvalidArgument, message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
