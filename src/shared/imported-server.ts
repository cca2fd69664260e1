/** The AI clients whose config files we read stdio servers from. */
export type ClientId = 'claude-desktop' | 'cursor' | 'vscode' | 'windsurf' | 'claude-code';

/** Where an entry was read from, so the UI can say "from Cursor (~/.cursor/mcp.json)". */
export interface ImportSource {
  client: ClientId;
  path: string;
  /**
   * The project folder the entry belongs to: project files (`.cursor/mcp.json`, `.mcp.json`, …)
   * and Claude Code's per-project entries in `~/.claude.json`. Absent for user-wide entries.
   */
  project?: string;
}

/** A stdio server found in a client's config, ready to be shown and added to Patchbay. */
export interface ImportedServer {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  source: ImportSource;
  /**
   * Things the user should check before adding it: client variables such as `${input:key}` or
   * `${env:X}` kept as written (only the client can fill them in), a name changed to stay unique.
   */
  warnings: string[];
}

/**
 * Why an entry is not offered: `remote` (a `url` instead of a `command`), `disabled` in the
 * client, `invalid` (no command, args not strings…), `env-file` (its `envFile` could not be
 * read), `duplicate` (the same command+args from another entry), `existing` (already in Patchbay).
 */
export type SkipKind = 'remote' | 'disabled' | 'invalid' | 'env-file' | 'duplicate' | 'existing';

/** An entry that was read but will not be added, with a reason the user can read. */
export interface SkippedEntry {
  name: string;
  kind: SkipKind;
  reason: string;
  source: ImportSource;
}

/** A config file that exists but could not be read or parsed; the scan goes on without it. */
export interface ImportError {
  path: string;
  message: string;
}

/** What a scan of the clients' config files found. */
export interface ImportScan {
  found: ImportedServer[];
  skipped: SkippedEntry[];
  errors: ImportError[];
}

/** A server read from a pasted snippet, ready to fill the Add form. */
export interface PastedServer {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  warnings: string[];
}

/** What a pasted client config holds: the stdio servers, and what cannot be used, with why. */
export interface PastedConfig {
  servers: PastedServer[];
  skipped: { name: string; reason: string }[];
}

/** The most text a paste may hold: config snippets are small, and more would only freeze the form. */
export const MAX_PASTE_CHARS = 256 * 1024;
