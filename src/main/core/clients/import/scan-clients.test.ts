import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configLocations } from './config-locations';
import type { ImportedServer, ImportSource } from './imported-server';
import { dedupe, scanClientConfigs, type ReadFile } from './scan-clients';

const fixtures = new URL('../../../../../test/fixtures/client-configs/', import.meta.url);
const fixture = (file: string): string => readFileSync(new URL(file, fixtures), 'utf8');

const HOME = '/home/ada';
const APP = '/home/ada/app';

/** Every client's fixture where that client keeps it on Linux, with the project in ~/app. */
function machine(): Map<string, string> {
  return new Map([
    [
      `${HOME}/.config/Claude/claude_desktop_config.json`,
      fixture('claude-desktop/claude_desktop_config.json'),
    ],
    [`${HOME}/.cursor/mcp.json`, fixture('cursor/mcp.json')],
    [`${HOME}/.config/Code/User/settings.json`, fixture('vscode/settings.json')],
    [`${APP}/.vscode/mcp.json`, fixture('vscode/mcp.json')],
    [`${APP}/.env`, 'DB_HOST=localhost\n# a comment\nDB_NAME=from-file\n'],
    [`${HOME}/.codeium/windsurf/mcp_config.json`, fixture('windsurf/mcp_config.json')],
    [`${HOME}/.claude.json`, fixture('claude-code/claude.json')],
    [`${APP}/.mcp.json`, fixture('claude-code/mcp.json')],
  ]);
}

function reader(
  files: Map<string, string>,
  throwing: Record<string, Error> = {},
): ReadFile & { calls: string[] } {
  const calls: string[] = [];
  const read = (file: string): Promise<string | undefined> => {
    calls.push(file);
    const err = throwing[file];
    return err === undefined ? Promise.resolve(files.get(file)) : Promise.reject(err);
  };
  return Object.assign(read, { calls });
}

const linux = { platform: 'linux' as const, home: HOME, env: {}, cwd: APP };

describe('scanClientConfigs', () => {
  it('reads every client, skips remote/disabled/invalid entries and duplicates, renames a taken name', async () => {
    const scan = await scanClientConfigs({ ...linux, readFile: reader(machine()) });

    expect(scan.errors).toEqual([]);
    expect(scan.found.map((s) => [s.name, s.source.client])).toEqual([
      ['filesystem', 'claude-desktop'],
      ['weather', 'claude-desktop'],
      ['github', 'claude-desktop'],
      ['postgres', 'cursor'],
      ['fetch', 'vscode'],
      ['time', 'vscode'],
      ['perplexity', 'vscode'],
      ['db', 'vscode'],
      ['memory', 'windsurf'],
      ['filesystem-2', 'windsurf'],
      ['context7', 'claude-code'],
      ['playwright', 'claude-code'],
      ['api-tools', 'claude-code'],
    ]);
    expect(scan.skipped.map((s) => [s.name, s.source.client, s.kind, s.reason])).toEqual([
      [
        'linear',
        'cursor',
        'remote',
        'remote url server at https://mcp.linear.app: Patchbay fronts local stdio servers',
      ],
      ['broken', 'cursor', 'invalid', 'args.1: must be a string'],
      [
        'github-remote',
        'vscode',
        'remote',
        'remote http server at https://api.githubcopilot.com: Patchbay fronts local stdio servers',
      ],
      [
        'legacy-sse',
        'vscode',
        'remote',
        'remote sse server at http://localhost:3001: Patchbay fronts local stdio servers',
      ],
      [
        'zapier',
        'windsurf',
        'remote',
        'remote url server at https://actions.zapier.com: Patchbay fronts local stdio servers',
      ],
      ['git', 'windsurf', 'disabled', 'disabled in this config'],
      [
        'notion',
        'claude-code',
        'remote',
        'remote http server at https://mcp.notion.com: Patchbay fronts local stdio servers',
      ],
      [
        'sentry',
        'claude-code',
        'remote',
        'remote sse server at https://mcp.sentry.dev: Patchbay fronts local stdio servers',
      ],
      ['github', 'cursor', 'duplicate', 'duplicate of claude-desktop'],
      ['fetch', 'vscode', 'duplicate', 'duplicate of vscode'],
      ['memory', 'claude-code', 'duplicate', 'duplicate of windsurf'],
    ]);
  });

  it('gives each entry its source file and project, and runs project servers in the project folder', async () => {
    const scan = await scanClientConfigs({ ...linux, readFile: reader(machine()) });
    const byName = new Map(scan.found.map((s) => [s.name, s]));

    expect(byName.get('weather')).toEqual({
      name: 'weather',
      command: 'C:\\Program Files\\nodejs\\node.exe',
      args: ['C:\\Users\\ada\\mcp\\weather\\build\\index.js'],
      env: { WEATHER_UNITS: 'metric', WEATHER_API_KEY: 'wk_example_123' },
      source: { client: 'claude-desktop', path: `${HOME}/.config/Claude/claude_desktop_config.json` },
      warnings: [],
    });
    expect(byName.get('playwright')).toEqual({
      name: 'playwright',
      command: 'npx',
      args: ['@playwright/mcp@latest'],
      env: {},
      cwd: APP,
      source: { client: 'claude-code', path: `${HOME}/.claude.json`, project: APP },
      warnings: [],
    });
    expect(byName.get('api-tools')?.source).toEqual({
      client: 'claude-code',
      path: `${APP}/.mcp.json`,
      project: APP,
    });
    expect(byName.get('api-tools')?.cwd).toBe(APP);
    expect(byName.get('filesystem-2')?.warnings).toEqual(['renamed from "filesystem": that name is taken']);
    // A user-wide server has no project folder to run in: the client's own cwd is unknown.
    expect(byName.get('context7')?.cwd).toBeUndefined();
  });

  it('loads an envFile under ${workspaceFolder}; the entry’s own env wins over the file', async () => {
    const scan = await scanClientConfigs({ ...linux, readFile: reader(machine()) });
    expect(scan.found.find((s) => s.name === 'db')).toEqual({
      name: 'db',
      command: 'node',
      args: ['tools/db-server.js'],
      env: { DB_HOST: 'localhost', DB_NAME: 'app' },
      cwd: APP,
      source: { client: 'vscode', path: `${APP}/.vscode/mcp.json`, project: APP },
      warnings: [`env includes 2 variable(s) read from ${APP}/.env`],
    });
  });

  it('skips an entry whose envFile is missing or cannot be located', async () => {
    const files = machine();
    files.delete(`${APP}/.env`);
    files.set(
      `${HOME}/.cursor/mcp.json`,
      JSON.stringify({ mcpServers: { prompt: { command: 'node', envFile: '${input:which-env}' } } }),
    );
    const scan = await scanClientConfigs({ ...linux, readFile: reader(files) });
    const envFileSkips = scan.skipped.filter((s) => s.kind === 'env-file');
    expect(envFileSkips.map((s) => [s.name, s.reason])).toEqual([
      [
        'prompt',
        'envFile "${input:which-env}" cannot be located outside the client; copy its variables into env',
      ],
      ['db', `envFile ${APP}/.env was not found`],
    ]);
    expect(scan.found.map((s) => s.name)).not.toContain('db');
  });

  it('a bad JSON file lands in errors and the other files are still read', async () => {
    const files = machine();
    files.set(`${HOME}/.cursor/mcp.json`, '{ "mcpServers": { "github": { "command": "npx", ');
    const scan = await scanClientConfigs({ ...linux, readFile: reader(files) });
    expect(scan.errors.map((e) => e.path)).toEqual([`${HOME}/.cursor/mcp.json`]);
    expect(scan.errors[0]?.message).toMatch(/^not valid JSON: .* at line 1, column \d+$/);
    expect(new Set(scan.found.map((s) => s.source.client))).toEqual(
      new Set(['claude-desktop', 'vscode', 'windsurf', 'claude-code']),
    );
  });

  it('a file that cannot be read lands in errors; a missing file is not an error', async () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const read = reader(new Map(), { [`${HOME}/.claude.json`]: denied });
    const scan = await scanClientConfigs({ ...linux, readFile: read });
    expect(scan).toEqual({
      found: [],
      skipped: [],
      errors: [
        { path: `${HOME}/.claude.json`, message: 'could not read the file: EACCES: permission denied' },
      ],
    });
    // Every location was still tried.
    expect(read.calls).toEqual(configLocations(linux).map((l) => l.path));
  });

  it('skips what Patchbay already has (same name, command, args and env), naming it', async () => {
    const existing = [
      {
        name: 'GitHub',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-github'],
        env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_example_desktop' },
      },
    ];
    const scan = await scanClientConfigs({ ...linux, readFile: reader(machine()), existing });
    expect(scan.skipped.filter((s) => s.name === 'github').map((s) => [s.source.client, s.reason])).toEqual([
      ['claude-desktop', 'already in Patchbay as "GitHub"'],
    ]);
    // Cursor's entry has another token: the same command, but not the same server.
    const cursor = scan.found.find(
      (s) => s.source.client === 'cursor' && s.command === 'npx' && s.args.at(-1)?.endsWith('server-github'),
    );
    expect(cursor?.warnings).toContain('same command as "GitHub" in Patchbay, with another name or env');
  });
});

describe('dedupe', () => {
  const source = (client: ImportSource['client']): ImportSource => ({ client, path: `/cfg/${client}.json` });
  const server = (
    name: string,
    command: string,
    args: string[],
    client: ImportSource['client'],
  ): ImportedServer => ({
    name,
    command,
    args,
    env: {},
    source: source(client),
    warnings: [],
  });

  it('skips an entry Patchbay already has under the same name, command, args and env, naming it', () => {
    const found = [{ ...server('fs', 'npx', ['server-fs', '/tmp'], 'cursor'), env: { A: '1' } }];
    const result = dedupe(found, [
      { name: 'FS', command: 'npx', args: ['server-fs', '/tmp'], env: { A: '1' } },
    ]);
    expect(result).toEqual({
      found: [],
      skipped: [
        { name: 'fs', kind: 'existing', reason: 'already in Patchbay as "FS"', source: source('cursor') },
      ],
    });
    // A secret whose value is not at hand matches on its key.
    expect(
      dedupe(found, [{ name: 'fs', command: 'npx', args: ['server-fs', '/tmp'], env: { A: undefined } }])
        .found,
    ).toEqual([]);
  });

  it('offers the same command under another name or env, saying which server it resembles', () => {
    const fs = { ...server('fs', 'npx', ['server-fs', '/tmp'], 'cursor'), env: { A: '1' } };
    const otherName = dedupe(
      [fs],
      [{ name: 'files', command: 'npx', args: ['server-fs', '/tmp'], env: { A: '1' } }],
    );
    expect(otherName.skipped).toEqual([]);
    expect(otherName.found.map((s) => [s.name, s.warnings])).toEqual([
      ['fs', ['same command as "files" in Patchbay, with another name or env']],
    ]);
    const otherEnv = dedupe(
      [fs],
      [{ name: 'fs', command: 'npx', args: ['server-fs', '/tmp'], env: { A: '2' } }],
    );
    expect(otherEnv.skipped).toEqual([]);
    expect(otherEnv.found.map((s) => [s.name, s.warnings])).toEqual([
      [
        'fs-2',
        [
          'renamed from "fs": that name is taken',
          'same command as "fs" in Patchbay, with another name or env',
        ],
      ],
    ]);
  });

  it('keeps the first of two entries with the same command+args across clients', () => {
    const first = server('fs', 'npx', ['server-fs'], 'claude-desktop');
    const second = server('filesystem', 'npx', ['server-fs'], 'windsurf');
    expect(dedupe([first, second], [])).toEqual({
      found: [first],
      skipped: [
        {
          name: 'filesystem',
          kind: 'duplicate',
          reason: 'duplicate of claude-desktop',
          source: source('windsurf'),
        },
      ],
    });
  });

  it('same command, different args: two servers', () => {
    const a = server('a', 'npx', ['server-fs', '/a'], 'cursor');
    const b = server('b', 'npx', ['server-fs', '/b'], 'cursor');
    expect(dedupe([a, b], []).found).toEqual([a, b]);
  });

  it('args are compared as a list: ["a b"] is not ["a", "b"]', () => {
    const a = server('a', 'node', ['a b'], 'cursor');
    const b = server('b', 'node', ['a', 'b'], 'cursor');
    expect(dedupe([a, b], []).found).toHaveLength(2);
  });

  it('only the name collides: suffixes -2, -3 …, skipping names already taken, ignoring case', () => {
    const found = [
      server('fs', 'npx', ['1'], 'claude-desktop'),
      server('fs', 'npx', ['2'], 'cursor'),
      server('FS', 'npx', ['3'], 'windsurf'),
      server('git', 'npx', ['4'], 'vscode'),
    ];
    const existing = [
      { name: 'fs-2', command: 'other', args: [] },
      { name: 'Git', command: 'other', args: ['x'] },
    ];
    const result = dedupe(found, existing);
    expect(result.skipped).toEqual([]);
    expect(result.found.map((s) => s.name)).toEqual(['fs', 'fs-3', 'FS-4', 'git-2']);
    expect(result.found[1]?.warnings).toEqual(['renamed from "fs": that name is taken']);
    expect(result.found[0]?.warnings).toEqual([]);
  });
});

describe('scanClientConfigs on real files (default readFile)', () => {
  let home: string | undefined;
  afterEach(async () => {
    if (home !== undefined) await rm(home, { recursive: true, force: true });
    home = undefined;
  });

  it('reads the files from a temporary HOME, reports a folder where a file should be', async () => {
    home = await mkdtemp(path.join(tmpdir(), 'patchbay-import-'));
    const cwd = path.join(home, 'app');
    const options = { platform: process.platform, home, env: {}, cwd };
    const at = (client: string, project: boolean): string => {
      const location = configLocations(options).find(
        (l) => l.client === client && (l.project !== undefined) === project,
      );
      if (location === undefined) throw new Error(`no ${client} location`);
      return location.path;
    };
    const put = async (file: string, text: string): Promise<void> => {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
    };
    await put(at('claude-desktop', false), fixture('claude-desktop/claude_desktop_config.json'));
    await put(at('cursor', true), fixture('cursor/mcp.json'));
    await put(at('claude-code', false), fixture('claude-code/claude.json'));
    // A folder named like the Windsurf file: reading it fails, and the scan goes on.
    await mkdir(at('windsurf', false), { recursive: true });

    const scan = await scanClientConfigs(options);

    expect(scan.errors.map((e) => e.path)).toEqual([at('windsurf', false)]);
    expect(scan.errors[0]?.message).toMatch(/^could not read the file: EISDIR/);
    expect(scan.found.map((s) => [s.name, s.source.client, s.source.path])).toEqual([
      ['filesystem', 'claude-desktop', at('claude-desktop', false)],
      ['weather', 'claude-desktop', at('claude-desktop', false)],
      ['github', 'claude-desktop', at('claude-desktop', false)],
      ['postgres', 'cursor', at('cursor', true)],
      ['context7', 'claude-code', at('claude-code', false)],
      ['playwright', 'claude-code', at('claude-code', false)],
      ['memory', 'claude-code', at('claude-code', false)],
    ]);
    expect(scan.found.find((s) => s.name === 'postgres')?.cwd).toBe(cwd);
    expect(scan.skipped.map((s) => [s.name, s.kind])).toEqual([
      ['linear', 'remote'],
      ['broken', 'invalid'],
      ['notion', 'remote'],
      ['github', 'duplicate'],
    ]);
  });
});
