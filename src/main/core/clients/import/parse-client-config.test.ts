import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode, PatchbayError } from '../../errors';
import { parseClientConfig } from './parse-client-config';

const fixtures = new URL('../../../../../test/fixtures/client-configs/', import.meta.url);
const fixture = (file: string): string => readFileSync(new URL(file, fixtures), 'utf8');

function parseError(text: string): PatchbayError {
  try {
    parseClientConfig(text, 'mcpServers');
  } catch (err) {
    if (err instanceof PatchbayError) return err;
    throw err;
  }
  throw new Error('expected parseClientConfig to throw');
}

describe('parseClientConfig: each client fixture', () => {
  it('Claude Desktop: mcpServers with Windows paths and env; other keys ignored', () => {
    expect(parseClientConfig(fixture('claude-desktop/claude_desktop_config.json'), 'claude-desktop')).toEqual(
      {
        entries: [
          {
            name: 'filesystem',
            command: 'npx',
            args: [
              '-y',
              '@modelcontextprotocol/server-filesystem',
              'C:\\Users\\ada\\Desktop',
              'C:\\Users\\ada\\Downloads',
            ],
            env: {},
            warnings: [],
          },
          {
            name: 'weather',
            command: 'C:\\Program Files\\nodejs\\node.exe',
            args: ['C:\\Users\\ada\\mcp\\weather\\build\\index.js'],
            env: { WEATHER_UNITS: 'metric', WEATHER_API_KEY: 'wk_example_123' },
            warnings: [],
          },
          {
            name: 'github',
            command: 'npx',
            args: ['-y', '@modelcontextprotocol/server-github'],
            env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_example_desktop' },
            warnings: [],
          },
        ],
        skipped: [],
      },
    );
  });

  it('Cursor: a url entry is remote, ${env:…} is kept with a warning, a number env value becomes a string', () => {
    expect(parseClientConfig(fixture('cursor/mcp.json'), 'mcpServers')).toEqual({
      entries: [
        {
          name: 'github',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-github'],
          env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_example_cursor' },
          warnings: [],
        },
        {
          name: 'postgres',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://localhost/app'],
          env: { PGPASSWORD: '${env:PGPASSWORD}', PGCONNECT_TIMEOUT: '10' },
          warnings: [
            '${env:PGPASSWORD} (env.PGPASSWORD) is filled in by the client at launch; kept as written, replace it before starting',
          ],
        },
      ],
      skipped: [
        {
          name: 'linear',
          kind: 'remote',
          reason: 'remote url server at https://mcp.linear.app: Patchbay fronts local stdio servers',
        },
        { name: 'broken', kind: 'invalid', reason: 'args.1: must be a string' },
      ],
    });
  });

  it('VS Code mcp.json: JSONC with comments and trailing commas; http/sse skipped; envFile and inputs kept', () => {
    expect(parseClientConfig(fixture('vscode/mcp.json'), 'vscode')).toEqual({
      entries: [
        {
          name: 'perplexity',
          command: 'npx',
          args: ['-y', 'server-perplexity-ask'],
          env: { PERPLEXITY_API_KEY: '${input:perplexity-key}' },
          warnings: [
            '${input:perplexity-key} (env.PERPLEXITY_API_KEY) is filled in by the client at launch; kept as written, replace it before starting',
          ],
        },
        { name: 'fetch', command: 'uvx', args: ['mcp-server-fetch'], env: {}, warnings: [] },
        {
          name: 'db',
          command: 'node',
          args: ['tools/db-server.js'],
          env: { DB_NAME: 'app' },
          envFile: '${workspaceFolder}/.env',
          warnings: [],
        },
      ],
      skipped: [
        {
          name: 'github-remote',
          kind: 'remote',
          reason: 'remote http server at https://api.githubcopilot.com: Patchbay fronts local stdio servers',
        },
        {
          name: 'legacy-sse',
          kind: 'remote',
          reason: 'remote sse server at http://localhost:3001: Patchbay fronts local stdio servers',
        },
      ],
    });
  });

  it('VS Code settings.json (before 1.102): servers under "mcp", other settings ignored', () => {
    expect(parseClientConfig(fixture('vscode/settings.json'), 'vscode-settings')).toEqual({
      entries: [
        { name: 'fetch', command: 'uvx', args: ['mcp-server-fetch'], env: {}, warnings: [] },
        {
          name: 'time',
          command: 'uvx',
          args: ['mcp-server-time', '--local-timezone=Europe/Paris'],
          env: {},
          warnings: [],
        },
      ],
      skipped: [],
    });
    expect(parseClientConfig('{ "editor.fontSize": 14 }', 'vscode-settings')).toEqual({
      entries: [],
      skipped: [],
    });
  });

  it('Windsurf: serverUrl is remote (origin only, the key in its path is not repeated), disabled is skipped', () => {
    const parsed = parseClientConfig(fixture('windsurf/mcp_config.json'), 'mcpServers');
    expect(parsed).toEqual({
      entries: [
        {
          name: 'memory',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-memory'],
          env: { MEMORY_FILE_PATH: '/home/ada/.memory.json' },
          warnings: [],
        },
        {
          name: 'filesystem',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/ada/notes'],
          env: {},
          warnings: [],
        },
      ],
      skipped: [
        {
          name: 'zapier',
          kind: 'remote',
          reason: 'remote url server at https://actions.zapier.com: Patchbay fronts local stdio servers',
        },
        { name: 'git', kind: 'disabled', reason: 'disabled in this config' },
      ],
    });
    expect(JSON.stringify(parsed)).not.toContain('sk-secret-in-path');
  });

  it('Claude Code ~/.claude.json: user scope at the top, local scope per project', () => {
    expect(parseClientConfig(fixture('claude-code/claude.json'), 'claude-code')).toEqual({
      entries: [
        { name: 'context7', command: 'npx', args: ['-y', '@upstash/context7-mcp'], env: {}, warnings: [] },
        {
          name: 'playwright',
          command: 'npx',
          args: ['@playwright/mcp@latest'],
          env: {},
          project: '/home/ada/app',
          warnings: [],
        },
        {
          name: 'memory',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-memory'],
          env: {},
          project: '/home/ada/app',
          warnings: [],
        },
      ],
      skipped: [
        {
          name: 'notion',
          kind: 'remote',
          reason: 'remote http server at https://mcp.notion.com: Patchbay fronts local stdio servers',
        },
      ],
    });
  });

  it('Claude Code .mcp.json: ${VAR} and ${VAR:-default} kept as written, each with a warning', () => {
    expect(parseClientConfig(fixture('claude-code/mcp.json'), 'mcpServers')).toEqual({
      entries: [
        {
          name: 'api-tools',
          command: '${TOOLS_BIN:-/usr/local/bin}/api-mcp',
          args: ['--config', './mcp/api.yaml'],
          env: { API_KEY: '${API_KEY}' },
          warnings: [
            '${TOOLS_BIN:-/usr/local/bin} (command) is filled in by the client at launch; kept as written, replace it before starting',
            '${API_KEY} (env.API_KEY) is filled in by the client at launch; kept as written, replace it before starting',
          ],
        },
      ],
      skipped: [
        {
          name: 'sentry',
          kind: 'remote',
          reason: 'remote sse server at https://mcp.sentry.dev: Patchbay fronts local stdio servers',
        },
      ],
    });
  });
});

describe('parseClientConfig: entries that cannot be imported', () => {
  it.each([
    [{ args: ['x'] }, 'command: is missing'],
    [{ command: 42 }, 'command: must be a string'],
    [{ command: '   ' }, 'command: is empty'],
    [{ command: 'node', args: 'server.js' }, 'args: must be a list of strings'],
    [{ command: 'node', env: { A: null } }, 'env.A: must be a string'],
    [{ command: 'node', env: ['A=1'] }, 'env: must be an object of strings'],
    [{ type: 'websocket', command: 'node' }, 'type: "websocket" is not stdio'],
    ['npx server', 'not an object'],
  ])('%j → invalid (%s)', (entry, reason) => {
    const text = JSON.stringify({ mcpServers: { s: entry } });
    expect(parseClientConfig(text, 'mcpServers')).toEqual({
      entries: [],
      skipped: [{ name: 's', kind: 'invalid', reason }],
    });
  });

  it('a remote type without a url is still remote, not invalid', () => {
    const text = JSON.stringify({ mcpServers: { s: { type: 'http' } } });
    expect(parseClientConfig(text, 'mcpServers').skipped).toEqual([
      { name: 's', kind: 'remote', reason: 'remote http server: Patchbay fronts local stdio servers' },
    ]);
  });

  it('an entry with both a command and a url is a stdio server', () => {
    const text = JSON.stringify({ mcpServers: { s: { command: 'node', url: 'http://x' } } });
    expect(parseClientConfig(text, 'mcpServers').entries.map((e) => e.name)).toEqual(['s']);
  });
});

describe('parseClientConfig: whole files', () => {
  it('an empty file or one without the servers key has no entries', () => {
    expect(parseClientConfig('', 'vscode')).toEqual({ entries: [], skipped: [] });
    expect(parseClientConfig('  \n', 'mcpServers')).toEqual({ entries: [], skipped: [] });
    expect(parseClientConfig('{}', 'claude-code')).toEqual({ entries: [], skipped: [] });
  });

  it('reads a file saved with a byte-order mark', () => {
    const text = '\uFEFF{"mcpServers":{"s":{"command":"node"}}}';
    expect(parseClientConfig(text, 'mcpServers').entries).toHaveLength(1);
  });

  it('bad JSON throws an InvalidArgument error naming the line and column', () => {
    const err = parseError('{\n  "mcpServers": {\n    "s": { "command": "node" \n');
    expect(err.code).toBe(ErrorCode.InvalidArgument);
    expect(err.message).toMatch(/^not valid JSON: \w+ at line \d+, column \d+$/);
  });

  it('a file that is not an object, or a servers key that is not a map, throws', () => {
    expect(parseError('[1, 2]').message).toBe('expected a JSON object at the top level');
    expect(parseError('{"mcpServers": []}').message).toBe('"mcpServers" is not an object');
  });
});
