import type { ConnectServer, FileClientId } from './client-catalog';
import { clientServerName } from './client-names';

/** A JSON-like value as it goes into a config file. */
export type EntryValue = string | boolean | EntryValue[] | { [key: string]: EntryValue };
export type EntryObject = { [key: string]: EntryValue };

/**
 * How a client's file is read and written:
 * - `json`: strict JSON (the client parses it with JSON.parse; comments would break it).
 * - `jsonc`: JSON with comments and trailing commas, which the client accepts and we keep.
 * - `toml`: Codex's config.toml.
 */
export type FileSyntax = 'json' | 'jsonc' | 'toml';

/** Where a client keeps its servers inside its file, and in which syntax. */
export interface EntryLayout {
  syntax: FileSyntax;
  /** The object holding one entry per server name, e.g. `["mcpServers"]`. */
  container: string[];
}

export const ENTRY_LAYOUTS: Record<FileClientId, EntryLayout> = {
  // ~/.claude.json is rewritten by Claude Code with JSON.stringify and read with JSON.parse.
  'claude-code': { syntax: 'json', container: ['mcpServers'] },
  cursor: { syntax: 'jsonc', container: ['mcpServers'] },
  vscode: { syntax: 'jsonc', container: ['servers'] },
  windsurf: { syntax: 'jsonc', container: ['mcpServers'] },
  // Gemini CLI strips comments before parsing its settings.json.
  'gemini-cli': { syntax: 'jsonc', container: ['mcpServers'] },
  codex: { syntax: 'toml', container: ['mcp_servers'] },
  // Zed's settings.json is JSONC (its default settings file is full of comments).
  zed: { syntax: 'jsonc', container: ['context_servers'] },
  // Cline reads cline_mcp_settings.json with JSON.parse.
  cline: { syntax: 'json', container: ['mcpServers'] },
  'claude-desktop': { syntax: 'json', container: ['mcpServers'] },
};

/** A server's entry for one client: the key it goes under and the value. */
export interface ClientEntry {
  name: string;
  value: EntryObject;
}

/** The `Authorization` header value for a token. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/**
 * The entry each client's documentation gives for a Streamable HTTP server (see the citations
 * in snippets.ts). The snippets show these same objects, so what we paste and what we write
 * never differ.
 */
export function clientEntry(client: FileClientId, server: ConnectServer): ClientEntry {
  const name = clientServerName(client, server.name);
  const headers: EntryObject | undefined =
    server.token === undefined ? undefined : { Authorization: bearer(server.token) };
  const withHeaders = (value: EntryObject, key = 'headers'): EntryObject =>
    headers === undefined ? value : { ...value, [key]: headers };
  switch (client) {
    case 'claude-code':
      return { name, value: withHeaders({ type: 'http', url: server.url }) };
    case 'cursor':
    case 'zed':
      return { name, value: withHeaders({ url: server.url }) };
    case 'vscode':
      return { name, value: withHeaders({ type: 'http', url: server.url }) };
    case 'windsurf':
      // Windsurf spells a remote server's address serverUrl; "url" does not connect.
      return { name, value: withHeaders({ serverUrl: server.url }) };
    case 'gemini-cli':
      // httpUrl is Streamable HTTP; Gemini CLI takes a plain "url" for the legacy SSE transport.
      return { name, value: withHeaders({ httpUrl: server.url }) };
    case 'codex':
      // Codex ignores "headers"; literal headers go in http_headers.
      return { name, value: withHeaders({ url: server.url }, 'http_headers') };
    case 'cline': {
      // Without "type", Cline treats a url entry as the legacy SSE transport.
      const value = withHeaders({ type: 'streamableHttp', url: server.url });
      return { name, value: { ...value, disabled: false } };
    }
    case 'claude-desktop':
      return { name, value: mcpRemoteEntry(server) };
  }
}

/**
 * Claude Desktop's config file takes stdio servers only, so the entry runs mcp-remote, which
 * speaks stdio to Claude and Streamable HTTP to us (https://github.com/geelen/mcp-remote).
 * The token goes through an env variable: Claude Desktop on Windows does not quote args with
 * spaces ("Authorization: Bearer x" gets split), the workaround mcp-remote's README gives.
 */
function mcpRemoteEntry(server: ConnectServer): EntryObject {
  const args = ['-y', 'mcp-remote', server.url];
  // mcp-remote refuses plain http except to localhost and 127.0.0.1 unless told otherwise.
  if (needsAllowHttp(server.url)) args.push('--allow-http');
  if (server.token === undefined) return { command: 'npx', args };
  args.push('--header', 'Authorization:${AUTH_HEADER}');
  return { command: 'npx', args, env: { AUTH_HEADER: bearer(server.token) } };
}

function needsAllowHttp(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && u.hostname !== 'localhost' && u.hostname !== '127.0.0.1';
  } catch {
    return false;
  }
}

/** What an entry found in a file points at, whichever client wrote it. */
export interface EntryTarget {
  url?: string;
  /** The Authorization header the client would send, `${…}` references resolved where we can. */
  authorization?: string;
}

/**
 * Reads the address and Authorization header out of any client's entry: `url` (most),
 * `serverUrl` (Windsurf), `httpUrl` (Gemini CLI), or an `mcp-remote <url>` command line with
 * its `--header` (Claude Desktop and other stdio-only setups).
 */
export function entryTarget(entry: unknown): EntryTarget {
  if (!isRecord(entry)) return {};
  const target: EntryTarget = {};
  for (const key of ['url', 'serverUrl', 'httpUrl']) {
    const value = entry[key];
    if (typeof value === 'string') {
      target.url = value;
      break;
    }
  }
  for (const key of ['headers', 'http_headers']) {
    const auth = headerValue(entry[key], 'authorization');
    if (auth !== undefined) target.authorization = auth;
  }
  if (target.url === undefined && Array.isArray(entry.args)) {
    const remote = mcpRemoteTarget(
      entry.args.filter((a): a is string => typeof a === 'string'),
      entry.env,
    );
    if (remote.url !== undefined) target.url = remote.url;
    if (remote.authorization !== undefined) target.authorization = remote.authorization;
  }
  return target;
}

function mcpRemoteTarget(args: string[], env: unknown): EntryTarget {
  const at = args.findIndex((a) => /^(@[^/]+\/)?mcp-remote(@.*)?$/.test(a));
  if (at === -1) return {};
  const target: EntryTarget = {};
  const url = args.slice(at + 1).find((a) => /^https?:\/\//i.test(a));
  if (url !== undefined) target.url = url;
  for (let i = at + 1; i < args.length - 1; i++) {
    if (args[i] !== '--header') continue;
    const header = args[i + 1] ?? '';
    const colon = header.indexOf(':');
    if (colon === -1 || header.slice(0, colon).trim().toLowerCase() !== 'authorization') continue;
    // mcp-remote fills ${VAR} in header values from its environment, i.e. the entry's env.
    target.authorization = header
      .slice(colon + 1)
      .trim()
      .replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
        const value = isRecord(env) ? env[name] : undefined;
        return typeof value === 'string' ? value : whole;
      });
  }
  return target;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!isRecord(headers)) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
