// What the Connect tab shows: per-client instructions, file writes and status. Produced
// by src/main/core/clients, shown by the renderer, so the shapes live here.

/**
 * The AI clients Patchbay gives connection instructions for, in the order the UI lists them,
 * each with the page its instructions follow. `generic` is "any other client": the URL and
 * headers to type into whatever form it has.
 */
export type ConnectClientId =
  | 'claude-code'
  | 'cursor'
  | 'vscode'
  | 'windsurf'
  | 'gemini-cli'
  | 'codex'
  | 'zed'
  | 'cline'
  | 'claude-desktop'
  | 'generic';

/** The clients with a config file Patchbay can write an entry into. */
export type FileClientId = Exclude<ConnectClientId, 'generic'>;

export interface ConnectClientInfo {
  id: ConnectClientId;
  label: string;
  /** The documentation the generated snippet and file entry follow. */
  docUrl: string;
}

/** A running Patchbay server as a client should reach it. */
export interface ConnectServer {
  /** The server's name in Patchbay; each client gets a form of it that it accepts. */
  name: string;
  /** Its Streamable HTTP endpoint, e.g. `http://127.0.0.1:7301/mcp`. */
  url: string;
  /** Bearer token clients must send, when the server has one. */
  token?: string;
  /** The legacy SSE endpoint, shown to "any other client" for old clients. */
  sseUrl?: string;
}

/** A server's URLs as a client pastes them: with `?key=…` when it has a key (capability URLs). */
export interface ConnectUrls {
  /** Streamable HTTP, e.g. `http://127.0.0.1:7301/mcp?key=…`. */
  url: string;
  /** Legacy HTTP+SSE, e.g. `http://127.0.0.1:7301/sse?key=…`. */
  sseUrl: string;
}

/** A URL with the key as its `key` query parameter (the capability URL form). */
export function withKey(url: string, key: string | undefined): string {
  if (key === undefined) return url;
  return `${url}${url.includes('?') ? '&' : '?'}key=${encodeURIComponent(key)}`;
}

/** A capability URL with its key shown as `••••` (what the UI displays). */
export function maskKey(url: string): string {
  return url.replace(/([?&]key=)[^&#]*/, '$1••••');
}

export type EntryKind = 'current' | 'stale' | 'other';

/** One thing to copy, open or run. */
export type SnippetItem =
  /** A command for a terminal; `argv` is the same command unquoted. */
  | { kind: 'command'; label: string; text: string; argv: string[] }
  /** Text to put in a config file; `where` says which file, in the docs' words. */
  | { kind: 'json'; label: string; text: string; where: string }
  | { kind: 'toml'; label: string; text: string; where: string }
  /** A link the client opens to install the server after asking the user. */
  | { kind: 'link'; label: string; url: string }
  /** A single value to type into a form (URL, header). */
  | { kind: 'field'; label: string; text: string };

/** What to give one client, with the page it follows. */
export interface ClientSnippet {
  client: ConnectClientId;
  label: string;
  docUrl: string;
  /** The server's name as this client will show it. */
  name: string;
  items: SnippetItem[];
  notes: string[];
}

export interface WriteResult {
  client: FileClientId;
  /** The file written (symlinks followed). */
  path: string;
  /** The entry's name in that file. */
  name: string;
  action: 'added' | 'updated' | 'unchanged' | 'removed' | 'not-found';
  /** The previous file, saved before writing; absent when there was none or nothing changed. */
  backupPath?: string;
  /** False when a TOML file had to be rewritten whole: settings kept, comments lost. */
  formatKept: boolean;
}

/**
 * Where a server stands in one client, most useful first:
 * - `registered`: an entry reaches the server as it is now.
 * - `stale`: its entry is there but out of date (old port, old or missing token).
 * - `name-taken`: a different server has its name; adding it will ask to replace that one.
 * - `unreadable`: the client's file is there but broken (see `errors`).
 * - `absent`: the file is there, without this server.
 * - `no-config`: the client has no config file here (likely not installed, or never set up).
 */
export type ClientState = 'registered' | 'stale' | 'name-taken' | 'unreadable' | 'absent' | 'no-config';

/** An entry found for the server: by its name, or by its URL under another name. */
export interface FoundEntry {
  name: string;
  path: string;
  /** The project it belongs to (project files, Claude Code's local scope). */
  project?: string;
  /** Found in a place older versions of the client read. */
  legacy?: boolean;
  url?: string;
  kind: EntryKind;
  problems: string[];
}

export interface ClientStatus {
  client: FileClientId;
  label: string;
  /** The file "Add" writes to. */
  path: string;
  state: ClientState;
  entries: FoundEntry[];
  errors: { path: string; message: string }[];
}
