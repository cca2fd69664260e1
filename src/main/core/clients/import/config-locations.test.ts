import { describe, expect, it } from 'vitest';
import { configLocations, connectOnlyLocations } from './config-locations';

describe('configLocations', () => {
  it('macOS: Application Support for Claude Desktop and VS Code, dot folders in home for the rest', () => {
    expect(configLocations({ platform: 'darwin', home: '/Users/ada', env: {} })).toEqual([
      {
        client: 'claude-desktop',
        path: '/Users/ada/Library/Application Support/Claude/claude_desktop_config.json',
        format: 'claude-desktop',
      },
      { client: 'cursor', path: '/Users/ada/.cursor/mcp.json', format: 'mcpServers' },
      {
        client: 'vscode',
        path: '/Users/ada/Library/Application Support/Code/User/mcp.json',
        format: 'vscode',
      },
      {
        client: 'vscode',
        path: '/Users/ada/Library/Application Support/Code/User/settings.json',
        format: 'vscode-settings',
      },
      { client: 'windsurf', path: '/Users/ada/.codeium/windsurf/mcp_config.json', format: 'mcpServers' },
      { client: 'claude-code', path: '/Users/ada/.claude.json', format: 'claude-code' },
    ]);
  });

  it('Windows: %APPDATA% for Claude Desktop and VS Code, the profile folder for the rest, backslashes', () => {
    const env = { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' };
    expect(configLocations({ platform: 'win32', home: 'C:\\Users\\ada', env })).toEqual([
      {
        client: 'claude-desktop',
        path: 'C:\\Users\\ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
        format: 'claude-desktop',
      },
      { client: 'cursor', path: 'C:\\Users\\ada\\.cursor\\mcp.json', format: 'mcpServers' },
      { client: 'vscode', path: 'C:\\Users\\ada\\AppData\\Roaming\\Code\\User\\mcp.json', format: 'vscode' },
      {
        client: 'vscode',
        path: 'C:\\Users\\ada\\AppData\\Roaming\\Code\\User\\settings.json',
        format: 'vscode-settings',
      },
      {
        client: 'windsurf',
        path: 'C:\\Users\\ada\\.codeium\\windsurf\\mcp_config.json',
        format: 'mcpServers',
      },
      { client: 'claude-code', path: 'C:\\Users\\ada\\.claude.json', format: 'claude-code' },
    ]);
  });

  it('Windows: finds %AppData% whatever its case, and falls back to AppData\\Roaming without it', () => {
    const claudeDesktop = (env: NodeJS.ProcessEnv): string | undefined =>
      configLocations({ platform: 'win32', home: 'C:\\Users\\ada', env })[0]?.path;
    expect(claudeDesktop({ AppData: 'D:\\Roaming' })).toBe('D:\\Roaming\\Claude\\claude_desktop_config.json');
    expect(claudeDesktop({})).toBe('C:\\Users\\ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
  });

  it('Linux: ~/.config by default, $XDG_CONFIG_HOME when it is absolute', () => {
    const paths = (env: NodeJS.ProcessEnv): string[] =>
      configLocations({ platform: 'linux', home: '/home/ada', env }).map((l) => l.path);
    expect(paths({})).toEqual([
      '/home/ada/.config/Claude/claude_desktop_config.json',
      '/home/ada/.cursor/mcp.json',
      '/home/ada/.config/Code/User/mcp.json',
      '/home/ada/.config/Code/User/settings.json',
      '/home/ada/.codeium/windsurf/mcp_config.json',
      '/home/ada/.claude.json',
    ]);
    expect(paths({ XDG_CONFIG_HOME: '/data/cfg' }).slice(0, 4)).toEqual([
      '/data/cfg/Claude/claude_desktop_config.json',
      '/home/ada/.cursor/mcp.json',
      '/data/cfg/Code/User/mcp.json',
      '/data/cfg/Code/User/settings.json',
    ]);
    // The XDG spec says to ignore a relative value.
    expect(paths({ XDG_CONFIG_HOME: 'cfg' })[0]).toBe('/home/ada/.config/Claude/claude_desktop_config.json');
  });

  it('with a cwd, adds the project files of Cursor, VS Code and Claude Code, each after its user file', () => {
    const locations = configLocations({
      platform: 'linux',
      home: '/home/ada',
      env: {},
      cwd: '/home/ada/app',
    });
    expect(locations.filter((l) => l.project !== undefined)).toEqual([
      {
        client: 'cursor',
        path: '/home/ada/app/.cursor/mcp.json',
        format: 'mcpServers',
        project: '/home/ada/app',
      },
      {
        client: 'vscode',
        path: '/home/ada/app/.vscode/mcp.json',
        format: 'vscode',
        project: '/home/ada/app',
      },
      {
        client: 'claude-code',
        path: '/home/ada/app/.mcp.json',
        format: 'mcpServers',
        project: '/home/ada/app',
      },
    ]);
    expect(locations.map((l) => l.client)).toEqual([
      'claude-desktop',
      'cursor',
      'cursor',
      'vscode',
      'vscode',
      'vscode',
      'windsurf',
      'claude-code',
      'claude-code',
    ]);
  });

  it('Windows project files use the project folder with backslashes', () => {
    const locations = configLocations({
      platform: 'win32',
      home: 'C:\\Users\\ada',
      env: {},
      cwd: 'D:\\src\\app',
    });
    expect(locations.filter((l) => l.project !== undefined).map((l) => l.path)).toEqual([
      'D:\\src\\app\\.cursor\\mcp.json',
      'D:\\src\\app\\.vscode\\mcp.json',
      'D:\\src\\app\\.mcp.json',
    ]);
  });

  it('cwd = home: ~/.cursor/mcp.json is listed once, as the user file', () => {
    const locations = configLocations({ platform: 'linux', home: '/home/ada', env: {}, cwd: '/home/ada' });
    const cursor = locations.filter((l) => l.client === 'cursor');
    expect(cursor).toEqual([{ client: 'cursor', path: '/home/ada/.cursor/mcp.json', format: 'mcpServers' }]);
    expect(new Set(locations.map((l) => l.path)).size).toBe(locations.length);
  });
});

describe('connectOnlyLocations', () => {
  it('Linux: dot folders in home, Zed under ~/.config (or $XDG_CONFIG_HOME), Cline’s old VS Code place last', () => {
    expect(connectOnlyLocations({ platform: 'linux', home: '/home/ada', env: {} })).toEqual([
      { client: 'gemini-cli', path: '/home/ada/.gemini/settings.json' },
      { client: 'codex', path: '/home/ada/.codex/config.toml' },
      { client: 'zed', path: '/home/ada/.config/zed/settings.json' },
      { client: 'cline', path: '/home/ada/.cline/data/settings/cline_mcp_settings.json' },
      {
        client: 'cline',
        path: '/home/ada/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
        legacy: true,
      },
    ]);
    const zed = connectOnlyLocations({
      platform: 'linux',
      home: '/home/ada',
      env: { XDG_CONFIG_HOME: '/cfg' },
    })[2];
    expect(zed?.path).toBe('/cfg/zed/settings.json');
  });

  it('macOS: Zed keeps ~/.config/zed; Cline’s old file in Application Support', () => {
    const paths = connectOnlyLocations({ platform: 'darwin', home: '/Users/ada', env: {} }).map(
      (l) => l.path,
    );
    expect(paths[2]).toBe('/Users/ada/.config/zed/settings.json');
    expect(paths[4]).toBe(
      '/Users/ada/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
    );
  });

  it('Windows: the profile folder for Gemini, Codex and Cline, %APPDATA% for Zed', () => {
    const env = { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' };
    expect(
      connectOnlyLocations({ platform: 'win32', home: 'C:\\Users\\ada', env }).map((l) => l.path),
    ).toEqual([
      'C:\\Users\\ada\\.gemini\\settings.json',
      'C:\\Users\\ada\\.codex\\config.toml',
      'C:\\Users\\ada\\AppData\\Roaming\\Zed\\settings.json',
      'C:\\Users\\ada\\.cline\\data\\settings\\cline_mcp_settings.json',
      'C:\\Users\\ada\\AppData\\Roaming\\Code\\User\\globalStorage\\saoudrizwan.claude-dev\\settings\\cline_mcp_settings.json',
    ]);
  });

  it('honours CODEX_HOME and CLINE_DATA_DIR when absolute', () => {
    const env = { CODEX_HOME: '/opt/codex', CLINE_DATA_DIR: '/opt/cline' };
    const paths = connectOnlyLocations({ platform: 'linux', home: '/home/ada', env }).map((l) => l.path);
    expect(paths[1]).toBe('/opt/codex/config.toml');
    expect(paths[3]).toBe('/opt/cline/settings/cline_mcp_settings.json');
    const relative = connectOnlyLocations({
      platform: 'linux',
      home: '/home/ada',
      env: { CODEX_HOME: 'codex' },
    });
    expect(relative[1]?.path).toBe('/home/ada/.codex/config.toml');
  });
});
