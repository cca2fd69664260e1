import path from 'node:path';
import type { ClientId } from './imported-server';

/**
 * How a file lays out its servers: `mcpServers` / `claude-desktop` a top-level `mcpServers`
 * map; `vscode` a top-level `servers` map; `vscode-settings` the pre-1.102 VS Code user
 * settings (`"mcp": { "servers": … }`); `claude-code` a top-level `mcpServers` map plus one per
 * project under `projects[<folder>]`.
 */
export type ConfigFormat = 'claude-desktop' | 'mcpServers' | 'vscode' | 'vscode-settings' | 'claude-code';

/** One file a client may keep servers in. */
export interface ConfigLocation {
  client: ClientId;
  path: string;
  format: ConfigFormat;
  /** Set for project-scoped files: the folder the client runs those servers in. */
  project?: string;
}

/** The machine to look at; injected so tests cover every OS from any OS. */
export interface LocationOptions {
  platform: NodeJS.Platform;
  home: string;
  env: NodeJS.ProcessEnv;
  /** The project folder to look in for project files (`.cursor/mcp.json`, `.mcp.json`, …). */
  cwd?: string;
}

/** The config files each client reads on this OS, user-wide first, then the project's. */
export function configLocations(options: LocationOptions): ConfigLocation[] {
  const { platform, home, cwd } = options;
  // Build paths with the target OS's rules, not the host's: tests run win32 cases on Linux.
  const p = platform === 'win32' ? path.win32 : path.posix;
  const appData = appDataDir(options, p);
  const locations: ConfigLocation[] = [];
  const add = (client: ClientId, file: string, format: ConfigFormat, project?: string): void => {
    locations.push(
      project === undefined ? { client, path: file, format } : { client, path: file, format, project },
    );
  };

  // Claude Desktop: https://modelcontextprotocol.io/quickstart/user (macOS, Windows). There is
  // no official Linux build; community builds keep Electron's default, ~/.config/Claude.
  add('claude-desktop', p.join(appData, 'Claude', 'claude_desktop_config.json'), 'claude-desktop');

  // Cursor: https://cursor.com/docs/context/mcp — global ~/.cursor/mcp.json (on Windows
  // %USERPROFILE%\.cursor\mcp.json, i.e. the home folder), project <project>/.cursor/mcp.json.
  add('cursor', p.join(home, '.cursor', 'mcp.json'), 'mcpServers');
  if (cwd !== undefined) add('cursor', p.join(cwd, '.cursor', 'mcp.json'), 'mcpServers', cwd);

  // VS Code: https://code.visualstudio.com/docs/copilot/reference/mcp-configuration — mcp.json in
  // the user profile folder (https://code.visualstudio.com/docs/getstarted/settings#_settings-file-locations)
  // and .vscode/mcp.json in the workspace. Before 1.102 user servers lived in settings.json under
  // "mcp" (https://github.com/redis/mcp-redis/pull/57); VS Code migrates them, so after an update
  // they show up twice and dedupe keeps the mcp.json copy, which comes first.
  const vscodeUser = p.join(appData, 'Code', 'User');
  add('vscode', p.join(vscodeUser, 'mcp.json'), 'vscode');
  add('vscode', p.join(vscodeUser, 'settings.json'), 'vscode-settings');
  if (cwd !== undefined) add('vscode', p.join(cwd, '.vscode', 'mcp.json'), 'vscode', cwd);

  // Windsurf: https://docs.windsurf.com/windsurf/cascade/mcp — ~/.codeium/windsurf/mcp_config.json
  // (%USERPROFILE%\.codeium\windsurf\mcp_config.json on Windows), the Claude Desktop schema.
  add('windsurf', p.join(home, '.codeium', 'windsurf', 'mcp_config.json'), 'mcpServers');

  // Claude Code: https://code.claude.com/docs/en/mcp — user and local scopes in ~/.claude.json
  // (top-level mcpServers and projects[<folder>].mcpServers), project scope in <project>/.mcp.json.
  add('claude-code', p.join(home, '.claude.json'), 'claude-code');
  if (cwd !== undefined) add('claude-code', p.join(cwd, '.mcp.json'), 'mcpServers', cwd);

  // With cwd = home, the project files are the user files: read each file once.
  const seen = new Set<string>();
  return locations.filter((location) => {
    const key = platform === 'win32' || platform === 'darwin' ? location.path.toLowerCase() : location.path;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Clients Patchbay writes its servers into (src/main/core/clients/config-writers.ts) but does not
 * import from yet. Their files hold no stdio entries the importer could read as they are.
 */
export type ConnectOnlyClientId = 'gemini-cli' | 'codex' | 'zed' | 'cline';

/** One user-wide file of a connect-only client; `legacy` marks a place older versions used. */
export interface ConnectOnlyLocation {
  client: ConnectOnlyClientId;
  path: string;
  legacy?: boolean;
}

/** The user-wide config files of the connect-only clients on this OS, the current one first. */
export function connectOnlyLocations(options: LocationOptions): ConnectOnlyLocation[] {
  const { platform, home } = options;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const appData = appDataDir(options, p);
  const absolute = (name: string): string | undefined => {
    const value = envVar(options, name);
    return value !== undefined && p.isAbsolute(value) ? value : undefined;
  };

  // Gemini CLI: https://geminicli.com/docs/tools/mcp-server — user settings in ~/.gemini/settings.json
  // (%USERPROFILE%\.gemini\settings.json on Windows), servers under "mcpServers".
  const gemini = p.join(home, '.gemini', 'settings.json');

  // Codex: https://developers.openai.com/codex/mcp — ~/.codex/config.toml, or $CODEX_HOME/config.toml.
  const codex = p.join(absolute('CODEX_HOME') ?? p.join(home, '.codex'), 'config.toml');

  // Zed: https://zed.dev/docs/configuring-zed — ~/.config/zed/settings.json on macOS and Linux
  // ($XDG_CONFIG_HOME/zed on Linux when set), %APPDATA%\Zed\settings.json on Windows.
  const zed =
    platform === 'win32'
      ? p.join(appData, 'Zed', 'settings.json')
      : platform === 'darwin'
        ? p.join(home, '.config', 'zed', 'settings.json')
        : p.join(appData, 'zed', 'settings.json');

  // Cline: https://docs.cline.bot/getting-started/config — since Cline 4 the extension, CLI and SDK
  // share ~/.cline/data/settings/cline_mcp_settings.json (CLINE_DATA_DIR replaces ~/.cline/data).
  // Older extension builds kept the file in VS Code's globalStorage for the extension.
  const clineData = absolute('CLINE_DATA_DIR') ?? p.join(home, '.cline', 'data');
  const cline = p.join(clineData, 'settings', 'cline_mcp_settings.json');
  const clineLegacy = p.join(
    appData,
    'Code',
    'User',
    'globalStorage',
    'saoudrizwan.claude-dev',
    'settings',
    'cline_mcp_settings.json',
  );

  return [
    { client: 'gemini-cli', path: gemini },
    { client: 'codex', path: codex },
    { client: 'zed', path: zed },
    { client: 'cline', path: cline },
    { client: 'cline', path: clineLegacy, legacy: true },
  ];
}

/** Electron's `appData` folder, where Claude Desktop and VS Code keep their user files. */
function appDataDir(options: LocationOptions, p: path.PlatformPath): string {
  const { platform, home } = options;
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support');
  if (platform === 'win32') {
    const appData = envVar(options, 'APPDATA');
    return appData !== undefined && p.isAbsolute(appData) ? appData : p.join(home, 'AppData', 'Roaming');
  }
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = envVar(options, 'XDG_CONFIG_HOME');
  return xdg !== undefined && p.isAbsolute(xdg) ? xdg : p.join(home, '.config');
}

function envVar(options: LocationOptions, name: string): string | undefined {
  const { env, platform } = options;
  // Windows variable names ignore case; an injected env is a plain object that does not.
  const value =
    platform === 'win32' ? Object.entries(env).find(([key]) => key.toUpperCase() === name)?.[1] : env[name];
  return value === undefined || value === '' ? undefined : value;
}
