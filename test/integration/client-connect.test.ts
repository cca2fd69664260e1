import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createMCPClient } from '@ai-sdk/mcp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_CLIENTS, type ConnectServer } from '../../src/main/core/clients/client-catalog';
import { clientTargetFile } from '../../src/main/core/clients/client-config-files';
import { entryTarget, ENTRY_LAYOUTS } from '../../src/main/core/clients/client-entries';
import { clientStatuses } from '../../src/main/core/clients/client-status';
import { parseDocument, serverMap } from '../../src/main/core/clients/config-document';
import { addToClient } from '../../src/main/core/clients/config-writers';
import { clientSnippets, type ClientSnippet, type SnippetItem } from '../../src/main/core/clients/snippets';
import { ServerManager } from '../../src/main/core/manager/server-manager';
import { FIXTURE } from '../support/engine-client';

// From the server Patchbay runs, take the entries it generates for Claude Code, Cursor and
// VS Code, read them the way each client documents, and connect the SDK client to what they say.

const TOKEN = 'a-long-bearer-token-for-clients';
const run = promisify(execFile);

let dir: string;
let manager: ServerManager;
let open: ConnectServer;
let locked: ConnectServer;
const ids = new Map<string, string>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchbay-connect-'));
  manager = ServerManager.open({ dataDir: join(dir, 'data'), shutdownTimeoutMs: 3000 });
  const start = async (name: string, token?: string): Promise<ConnectServer> => {
    const created = await manager.create({
      name,
      command: process.execPath,
      args: [FIXTURE],
      // No token: the user turned "Require a key" off (a new server has one by default).
      ...(token ? { token } : { requireKey: false }),
    });
    ids.set(name, created.id);
    const status = await manager.start(created.id);
    if (status.url === undefined) throw new Error(`${name} did not start: ${JSON.stringify(status.error)}`);
    return token === undefined ? { name, url: status.url } : { name, url: status.url, token };
  };
  open = await start('Fixture Tools');
  locked = await start('Locked Tools', TOKEN);
});

afterAll(async () => {
  await manager.shutdown();
  await rm(dir, { recursive: true, force: true });
});

/** Connects the SDK client to `url` with `headers`, lists the tools, hangs up. */
async function toolsAt(url: string, headers: Record<string, string>): Promise<string[]> {
  const client = new Client({ name: 'client-connect-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

function snippetFor(server: ConnectServer, client: ClientSnippet['client']): ClientSnippet {
  const found = clientSnippets(server, { platform: 'linux' }).find((s) => s.client === client);
  if (found === undefined) throw new Error(`no ${client} snippet`);
  return found;
}
function item<K extends SnippetItem['kind']>(s: ClientSnippet, kind: K): Extract<SnippetItem, { kind: K }> {
  const found = s.items.find((i): i is Extract<SnippetItem, { kind: K }> => i.kind === kind);
  if (found === undefined) throw new Error(`${s.client} has no ${kind}`);
  return found;
}

/** `Name: value` header strings (curl and `claude mcp add --header` style) as a headers object. */
function headerObject(lines: string[]): Record<string, string> {
  return Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    }),
  );
}

/** Strings only: a config's `headers` map as the SDK wants it. */
function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

/**
 * Runs a copied command line in a real POSIX shell, as a user pasting it would, with a stand-in
 * for the program on PATH that records the argv it was given.
 */
async function argvOfCommand(text: string, program: string): Promise<string[]> {
  const bin = await mkdtemp(join(dir, 'bin-'));
  const out = join(bin, 'argv');
  await writeFile(
    join(bin, program),
    '#!/bin/sh\nfor a in "$@"; do printf \'%s\\0\' "$a"; done > "$ARGV_OUT"\n',
  );
  await chmod(join(bin, program), 0o755);
  await run('/bin/sh', ['-c', text], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, ARGV_OUT: out },
  });
  return (await readFile(out, 'utf8')).split('\0').slice(0, -1);
}

/**
 * `claude mcp add [options] <name> <url>` read the way Claude Code documents it
 * (https://code.claude.com/docs/en/mcp): --transport/-t, repeatable --header/-H, --scope/-s,
 * --env/-e take a value; the rest are the name and the URL.
 */
function parseClaudeMcpAdd(argv: string[]): {
  transport?: string;
  name?: string;
  url?: string;
  headers: string[];
} {
  expect(argv.slice(0, 2)).toEqual(['mcp', 'add']);
  const result: { transport?: string; name?: string; url?: string; headers: string[] } = { headers: [] };
  const positional: string[] = [];
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = argv[i + 1] ?? '';
    if (arg === '--transport' || arg === '-t') result.transport = value;
    else if (arg === '--header' || arg === '-H') result.headers.push(value);
    else if (['--scope', '-s', '--env', '-e'].includes(arg)) {
      // value-taking options that do not matter here
    } else {
      positional.push(arg);
      continue;
    }
    i++;
  }
  [result.name, result.url] = positional;
  return result;
}

describe.each([
  ['without a token', () => open],
  ['with a bearer token', () => locked],
])('a Patchbay server %s', (_label, server) => {
  it.skipIf(process.platform === 'win32')(
    'Claude Code: the `claude mcp add` command, run through a shell',
    async () => {
      const s = snippetFor(server(), 'claude-code');
      const argv = await argvOfCommand(item(s, 'command').text, 'claude');
      const add = parseClaudeMcpAdd(argv);
      expect(add.transport).toBe('http');
      expect(add.name).toBe(s.name);
      expect(add.url).toBe(server().url);
      expect(await toolsAt(add.url ?? '', headerObject(add.headers))).toContain('echo');
    },
  );

  it('Cursor: the mcp.json entry and the install deep link', async () => {
    const s = snippetFor(server(), 'cursor');
    const file = JSON.parse(item(s, 'json').text) as {
      mcpServers: Record<string, { url: string; headers?: unknown }>;
    };
    const entry = file.mcpServers[s.name];
    expect(entry).toBeDefined();
    expect(await toolsAt(entry?.url ?? '', stringMap(entry?.headers))).toContain('echo');

    const link = new URL(item(s, 'link').url);
    expect(link.protocol).toBe('cursor:');
    expect(link.searchParams.get('name')).toBe(s.name);
    const config = JSON.parse(
      Buffer.from(link.searchParams.get('config') ?? '', 'base64').toString('utf8'),
    ) as {
      url: string;
      headers?: unknown;
    };
    expect(await toolsAt(config.url, stringMap(config.headers))).toContain('echo');
  });

  it('VS Code: the vscode:mcp/install link, the mcp.json entry, and `code --add-mcp`', async () => {
    const s = snippetFor(server(), 'vscode');
    const link = item(s, 'link').url;
    const prefix = 'vscode:mcp/install?';
    expect(link.startsWith(prefix)).toBe(true);
    const obj = JSON.parse(decodeURIComponent(link.slice(prefix.length))) as {
      name: string;
      type: string;
      url: string;
      headers?: unknown;
    };
    expect(obj).toMatchObject({ name: s.name, type: 'http' });
    expect(await toolsAt(obj.url, stringMap(obj.headers))).toContain('echo');

    const file = JSON.parse(item(s, 'json').text) as {
      servers: Record<string, { type: string; url: string; headers?: unknown }>;
    };
    const entry = file.servers[s.name];
    expect(entry?.type).toBe('http');
    expect(await toolsAt(entry?.url ?? '', stringMap(entry?.headers))).toContain('echo');

    if (process.platform !== 'win32') {
      const argv = await argvOfCommand(item(s, 'command').text, 'code');
      expect(argv[0]).toBe('--add-mcp');
      expect(JSON.parse(argv[1] ?? '')).toEqual(obj);
    }
  });
});

describe('files written by addToClient', () => {
  it('every client’s entry reaches the token-protected server, and status reports it registered', async () => {
    const home = await mkdtemp(join(dir, 'home-'));
    const where = { platform: process.platform, home, env: {} };
    for (const client of FILE_CLIENTS) {
      await addToClient(client, locked, where);
      const { syntax, container } = ENTRY_LAYOUTS[client];
      const text = await readFile(clientTargetFile(client, where).path, 'utf8');
      const entries = serverMap(parseDocument(text, syntax, true), container) ?? {};
      const [entry] = Object.values(entries);
      // Claude Desktop's entry is an mcp-remote command line: its URL and header are read from it.
      const target = entryTarget(entry);
      expect(target.authorization, client).toBe(`Bearer ${TOKEN}`);
      expect(
        await toolsAt(target.url ?? '', { Authorization: target.authorization ?? '' }),
        client,
      ).toContain('echo');
    }
    const statuses = await clientStatuses(locked, where);
    expect(statuses.map((s) => [s.client, s.state])).toEqual(FILE_CLIENTS.map((c) => [c, 'registered']));
  });

  it('the token matters: without it the protected server refuses the client', async () => {
    await expect(toolsAt(locked.url, {})).rejects.toThrow(/401|Unauthorized/);
  });
});

describe('Copy URL (servers.connectUrls): the capability URL, pasted as-is', () => {
  it('carries the key, and the SDK (Streamable HTTP and legacy SSE) and @ai-sdk/mcp connect with no header', async () => {
    const urls = manager.connectUrls(ids.get('Locked Tools')!);
    expect(urls.url).toBe(`${locked.url}?key=${TOKEN}`);
    expect(new URL(urls.sseUrl).pathname).toBe('/sse');
    expect(await toolsAt(urls.url, {})).toContain('echo');

    // Legacy: the endpoint event names /messages with the key, so the client's POSTs get in.
    const legacy = new Client({ name: 'client-connect-sse', version: '1' });
    await legacy.connect(new SSEClientTransport(new URL(urls.sseUrl)));
    try {
      expect((await legacy.listTools()).tools.map((t) => t.name)).toContain('echo');
    } finally {
      await legacy.close();
    }

    const ai = await createMCPClient({ transport: { type: 'http', url: urls.url } });
    try {
      expect(Object.keys(await ai.tools())).toContain('echo');
    } finally {
      await ai.close();
    }
  });

  it('a server without a key gives the bare URL; the header form is what the file clients get', async () => {
    const urls = manager.connectUrls(ids.get('Fixture Tools')!);
    expect(urls.url).toBe(open.url);
    const header = item(snippetFor(locked, 'generic'), 'field');
    expect(header.text).toBe('Streamable HTTP');
    const fields = snippetFor(locked, 'generic').items.filter((i) => i.kind === 'field');
    const auth = fields.find((f) => f.label === 'Header')!;
    expect(await toolsAt(locked.url, headerObject([auth.text]))).toContain('echo');
    const capability = fields.find((f) => f.label.startsWith('Or the URL with the key'))!;
    expect(await toolsAt(capability.text, {})).toContain('echo');
  });
});
