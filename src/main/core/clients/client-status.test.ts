import { describe, expect, it } from 'vitest';
import type { ConnectServer } from './client-catalog';
import type { ConfigFs } from './config-fs';
import { clientStatus, clientStatuses } from './client-status';

const HOME = '/home/ada';
const server: ConnectServer = { name: 'fetch', url: 'http://127.0.0.1:7301/mcp', token: 'tok-1234' };
const auth = { Authorization: 'Bearer tok-1234' };

/** Reads from a map; a value of `Error` makes that read fail. */
function files(entries: Record<string, string | Error>): ConfigFs {
  const none = (): Promise<never> => Promise.reject(new Error('status must not write'));
  return {
    readText: (p) => {
      const v = entries[p];
      return v instanceof Error ? Promise.reject(v) : Promise.resolve(v);
    },
    writeText: none,
    mkdirp: none,
    rename: none,
    remove: none,
    resolve: (p) => Promise.resolve(p),
    mode: () => Promise.resolve(undefined),
  };
}
const on = (fs: ConfigFs, cwd?: string) => ({ platform: 'linux' as const, home: HOME, env: {}, fs, cwd });

describe('clientStatus', () => {
  it('registered: an entry with the current URL and token', async () => {
    const fs = files({
      [`${HOME}/.cursor/mcp.json`]: JSON.stringify({
        mcpServers: { fetch: { url: server.url, headers: auth } },
      }),
    });
    const status = await clientStatus('cursor', server, on(fs));
    expect(status).toEqual({
      client: 'cursor',
      label: 'Cursor',
      path: `${HOME}/.cursor/mcp.json`,
      state: 'registered',
      entries: [
        { name: 'fetch', path: `${HOME}/.cursor/mcp.json`, url: server.url, kind: 'current', problems: [] },
      ],
      errors: [],
    });
  });

  it('stale: the old port, localhost for 127.0.0.1, a missing or old token — each said in words', async () => {
    const fs = files({
      [`${HOME}/.codeium/windsurf/mcp_config.json`]: JSON.stringify({
        mcpServers: { fetch: { serverUrl: 'http://localhost:7000/mcp' } },
      }),
      [`${HOME}/.gemini/settings.json`]: JSON.stringify({
        mcpServers: { fetch: { httpUrl: server.url, headers: { Authorization: 'Bearer old' } } },
      }),
    });
    const windsurf = await clientStatus('windsurf', server, on(fs));
    expect(windsurf.state).toBe('stale');
    expect(windsurf.entries[0]?.problems).toEqual([
      'points at http://localhost:7000/mcp; the server is at http://127.0.0.1:7301/mcp',
      'sends no token; the server needs one',
    ]);
    const gemini = await clientStatus('gemini-cli', server, on(fs));
    expect(gemini).toMatchObject({ state: 'stale', entries: [{ problems: ['sends an old token'] }] });
  });

  it('a token set through a variable the client fills in is not flagged', async () => {
    const fs = files({
      [`${HOME}/.config/Code/User/mcp.json`]:
        '{ "servers": { "x": { "type": "http", "url": "http://127.0.0.1:7301/mcp", "headers": { "Authorization": "Bearer ${input:tok}" } } } }',
    });
    expect((await clientStatus('vscode', server, on(fs))).state).toBe('registered');
  });

  it('finds the server under another name by its URL, and in Claude Code’s per-project scope', async () => {
    const fs = files({
      [`${HOME}/.claude.json`]: JSON.stringify({
        mcpServers: {},
        projects: {
          '/home/ada/app': { mcpServers: { renamed: { type: 'http', url: server.url, headers: auth } } },
        },
      }),
    });
    const status = await clientStatus('claude-code', server, on(fs));
    expect(status.state).toBe('registered');
    expect(status.entries).toEqual([
      {
        name: 'renamed',
        path: `${HOME}/.claude.json`,
        project: '/home/ada/app',
        url: server.url,
        kind: 'current',
        problems: [],
      },
    ]);
  });

  it('reads Claude Desktop’s mcp-remote command line, the token from its env', async () => {
    const entry = {
      command: 'npx',
      args: ['-y', 'mcp-remote@latest', server.url, '--header', 'Authorization:${AUTH_HEADER}'],
      env: { AUTH_HEADER: 'Bearer tok-1234' },
    };
    const fs = files({
      [`${HOME}/.config/Claude/claude_desktop_config.json`]: JSON.stringify({ mcpServers: { fetch: entry } }),
    });
    expect((await clientStatus('claude-desktop', server, on(fs))).state).toBe('registered');
  });

  it('reads Codex’s TOML and Zed’s JSONC settings', async () => {
    const fs = files({
      [`${HOME}/.codex/config.toml`]:
        '[mcp_servers.fetch]\nurl = "http://127.0.0.1:7301/mcp"\nhttp_headers = { Authorization = "Bearer tok-1234" }\n',
      [`${HOME}/.config/zed/settings.json`]:
        '// Zed settings\n{\n  "context_servers": {\n    "fetch": { "url": "http://127.0.0.1:7301/mcp", "headers": { "Authorization": "Bearer tok-1234" } },\n  },\n}\n',
    });
    expect((await clientStatus('codex', server, on(fs))).state).toBe('registered');
    expect((await clientStatus('zed', server, on(fs))).state).toBe('registered');
  });

  it('Cline: finds an entry in the pre-4.0 VS Code globalStorage file, marked legacy', async () => {
    const legacy = `${HOME}/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json`;
    const fs = files({
      [legacy]: JSON.stringify({
        mcpServers: { fetch: { type: 'streamableHttp', url: server.url, headers: auth } },
      }),
    });
    const status = await clientStatus('cline', server, on(fs));
    expect(status.path).toBe(`${HOME}/.cline/data/settings/cline_mcp_settings.json`);
    expect(status).toMatchObject({ state: 'registered', entries: [{ path: legacy, legacy: true }] });
  });

  it('project files when a project folder is given', async () => {
    const fs = files({
      '/work/app/.cursor/mcp.json': JSON.stringify({
        mcpServers: { fetch: { url: server.url, headers: auth } },
      }),
    });
    expect((await clientStatus('cursor', server, on(fs))).state).toBe('no-config');
    expect(await clientStatus('cursor', server, on(fs, '/work/app'))).toMatchObject({
      state: 'registered',
      entries: [{ project: '/work/app' }],
    });
  });

  it('name-taken, absent, no-config and unreadable', async () => {
    const fs = files({
      [`${HOME}/.cursor/mcp.json`]: JSON.stringify({
        mcpServers: { fetch: { command: 'uvx', args: ['mcp-server-fetch'] } },
      }),
      [`${HOME}/.codeium/windsurf/mcp_config.json`]:
        '{ "mcpServers": { "other": { "serverUrl": "https://example.com/mcp" } } }',
      [`${HOME}/.gemini/settings.json`]: '{ "mcpServers": ',
      [`${HOME}/.codex/config.toml`]: Object.assign(new Error('EACCES: permission denied'), {
        code: 'EACCES',
      }),
    });
    const cursor = await clientStatus('cursor', server, on(fs));
    expect(cursor).toMatchObject({
      state: 'name-taken',
      entries: [{ name: 'fetch', kind: 'other', problems: ['is a different server (it has no URL)'] }],
    });
    expect((await clientStatus('windsurf', server, on(fs))).state).toBe('absent');
    expect((await clientStatus('zed', server, on(fs))).state).toBe('no-config');
    const gemini = await clientStatus('gemini-cli', server, on(fs));
    expect(gemini.state).toBe('unreadable');
    expect(gemini.errors).toEqual([
      { path: `${HOME}/.gemini/settings.json`, message: expect.stringMatching(/^not valid JSON/) as unknown },
    ]);
    const codex = await clientStatus('codex', server, on(fs));
    expect(codex).toMatchObject({ state: 'unreadable', errors: [{ message: 'EACCES: permission denied' }] });
  });
});

describe('clientStatuses', () => {
  it('one status per client with a config file, never throwing for bad files', async () => {
    const statuses = await clientStatuses(server, on(files({ [`${HOME}/.claude.json`]: 'not json' })));
    expect(statuses.map((s) => s.client)).toEqual([
      'claude-code',
      'cursor',
      'vscode',
      'windsurf',
      'gemini-cli',
      'codex',
      'zed',
      'cline',
      'claude-desktop',
    ]);
    expect(statuses[0]?.state).toBe('unreadable');
    expect(statuses.slice(1).every((s) => s.state === 'no-config')).toBe(true);
  });
});
