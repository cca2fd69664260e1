import { chmod, lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, type PatchbayError } from '../errors';
import { type ConnectServer, FILE_CLIENTS, type FileClientId } from './client-catalog';
import { clientTargetFile } from './client-config-files';
import { clientEntry, ENTRY_LAYOUTS } from './client-entries';
import { type ConfigFs, nodeConfigFs } from './config-fs';
import { parseDocument, serverMap } from './config-document';
import { addToClient, BACKUP_SUFFIX, removeFromClient, type WriteOptions } from './config-writers';

const server: ConnectServer = {
  name: 'Fetch Tools',
  url: 'http://127.0.0.1:7301/mcp',
  token: 'secret-token',
};

let home: string;
let options: WriteOptions;
beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'patchbay-writers-'));
  options = { platform: 'linux', home, env: {} };
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const target = (client: FileClientId): string => clientTargetFile(client, options).path;
const read = (file: string): Promise<string> => readFile(file, 'utf8');
const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );
async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}
function servers(client: FileClientId, text: string): Record<string, unknown> {
  const { syntax, container } = ENTRY_LAYOUTS[client];
  return serverMap(parseDocument(text, syntax, true), container) ?? {};
}
async function rejection(promise: Promise<unknown>): Promise<PatchbayError> {
  try {
    await promise;
  } catch (err) {
    return err as PatchbayError;
  }
  throw new Error('expected a rejection');
}

/** A file as users have them: another setting, another server, and comments where allowed. */
function populated(client: FileClientId): string {
  const { syntax, container } = ENTRY_LAYOUTS[client];
  if (syntax === 'toml') {
    return [
      '# my Codex config',
      'model = "o4-mini" # keep',
      '',
      '[mcp_servers.other]',
      'command = "npx"',
      'args = ["-y", "other-mcp"]',
      '',
    ].join('\n');
  }
  const key = container[0] ?? '';
  const lines = [
    '{',
    '  "someSetting": true,',
    `  "${key}": {`,
    '    "other": {',
    '      "command": "npx",',
    '      "args": ["-y", "other-mcp"]',
    '    }',
    '  }',
    '}',
    '',
  ];
  if (syntax === 'jsonc') lines.splice(1, 0, '  // written by hand', '  /* keep this */');
  return lines.join('\n');
}

describe.each(FILE_CLIENTS.map((c) => [c]))('%s', (client) => {
  const entry = clientEntry(client, server);

  it('adds to a missing file, creating the folders', async () => {
    const file = target(client);
    const result = await addToClient(client, server, options);
    expect(result).toEqual({ client, path: file, name: entry.name, action: 'added', formatKept: true });
    const text = await read(file);
    expect(servers(client, text)).toEqual({ [entry.name]: entry.value });
    expect(await exists(file + BACKUP_SUFFIX)).toBe(false);
  });

  it('adds to an empty file, keeping a backup of it', async () => {
    const file = target(client);
    await put(file, '');
    const result = await addToClient(client, server, options);
    expect(result.action).toBe('added');
    expect(result.backupPath).toBe(file + BACKUP_SUFFIX);
    expect(await read(file + BACKUP_SUFFIX)).toBe('');
    expect(servers(client, await read(file))).toEqual({ [entry.name]: entry.value });
  });

  it('adds to a populated file: other entries, settings and comments untouched; remove restores the file', async () => {
    const file = target(client);
    const before = populated(client);
    await put(file, before);
    await addToClient(client, server, options);
    const after = await read(file);
    expect(await read(file + BACKUP_SUFFIX)).toBe(before);
    expect(servers(client, after)).toEqual({ ...servers(client, before), [entry.name]: entry.value });
    const rest = parseDocument(after, ENTRY_LAYOUTS[client].syntax, true);
    expect(rest).toMatchObject(
      ENTRY_LAYOUTS[client].syntax === 'toml' ? { model: 'o4-mini' } : { someSetting: true },
    );
    for (const line of before.split('\n').filter((l) => /\/\/|\/\*|#/.test(l))) expect(after).toContain(line);

    const removed = await removeFromClient(client, server, options);
    expect(removed).toMatchObject({ action: 'removed', name: entry.name, backupPath: file + BACKUP_SUFFIX });
    expect(await read(file)).toBe(before);
    expect(await read(file + BACKUP_SUFFIX)).toBe(after);
  });

  it('leaves the file alone when the entry is already current, and when removing what is not there', async () => {
    const file = target(client);
    await addToClient(client, server, options);
    const text = await read(file);
    expect((await addToClient(client, server, options)).action).toBe('unchanged');
    expect(await exists(file + BACKUP_SUFFIX)).toBe(false);
    await put(file, populated(client));
    expect((await removeFromClient(client, server, options)).action).toBe('not-found');
    expect(await exists(file + BACKUP_SUFFIX)).toBe(false);
    expect(text).not.toBe('');
  });

  it('refuses a file that is not valid, leaving it exactly as it was', async () => {
    const file = target(client);
    const broken =
      ENTRY_LAYOUTS[client].syntax === 'toml' ? 'model = \n[mcp_servers\n' : '{ "mcpServers": { ';
    await put(file, broken);
    for (const op of [addToClient, removeFromClient]) {
      const err = await rejection(op(client, server, options));
      expect(err.code).toBe(ErrorCode.InvalidArgument);
      expect(err.message).toContain(file);
      expect(err.message).toMatch(/not valid (JSON|TOML)/);
      expect(err.message).toContain('left the file unchanged');
    }
    expect(await read(file)).toBe(broken);
    expect(await exists(file + BACKUP_SUFFIX)).toBe(false);
  });

  it('updates its own stale entry (old port, no token) in place, keeping the user’s extra fields', async () => {
    const before = { name: server.name, url: 'http://127.0.0.1:7000/mcp' };
    const stale = clientEntry(client, before);
    const old = { ...stale.value, userField: ['keep'] };
    await addToClient(client, before, options);
    const file = target(client);
    const text = await read(file);
    const withExtra =
      ENTRY_LAYOUTS[client].syntax === 'toml'
        ? text + 'userField = ["keep"]\n'
        : JSON.stringify({ [ENTRY_LAYOUTS[client].container[0] ?? '']: { [stale.name]: old } }, null, 2);
    await put(file, withExtra);
    const result = await addToClient(client, server, options);
    expect(result.action).toBe('updated');
    expect(servers(client, await read(file))).toEqual({
      [entry.name]: { ...entry.value, userField: ['keep'] },
    });
  });

  it('refuses to overwrite or remove a different server of the same name unless forced', async () => {
    const file = target(client);
    const { syntax, container } = ENTRY_LAYOUTS[client];
    const theirs =
      syntax === 'toml'
        ? `[mcp_servers.${entry.name}]\ncommand = "uvx"\nargs = ["their-server"]\n`
        : JSON.stringify({
            [container[0] ?? '']: { [entry.name]: { command: 'uvx', args: ['their-server'] } },
          });
    await put(file, theirs);
    for (const op of [addToClient, removeFromClient]) {
      const err = await rejection(op(client, server, options));
      expect(err.code).toBe(ErrorCode.AlreadyExists);
      expect(err.message).toContain(`"${entry.name}"`);
      expect(err.message).toContain('different server');
    }
    expect(await read(file)).toBe(theirs);
    expect((await addToClient(client, server, { ...options, force: true })).action).toBe('updated');
    expect(servers(client, await read(file))).toEqual({ [entry.name]: entry.value });
  });
});

describe('addToClient / removeFromClient', () => {
  it('does not add a twin when the user registered the server under a name of their own', async () => {
    const file = target('cursor');
    await put(
      file,
      JSON.stringify({ mcpServers: { mine: { url: server.url, headers: { Authorization: 'Bearer old' } } } }),
    );
    const result = await addToClient('cursor', server, options);
    expect(result).toMatchObject({ action: 'updated', name: 'mine' });
    expect(servers('cursor', await read(file))).toEqual({
      mine: { url: server.url, headers: { Authorization: 'Bearer secret-token' } },
    });
    expect(await removeFromClient('cursor', server, options)).toMatchObject({
      action: 'removed',
      name: 'mine',
    });
    expect(servers('cursor', await read(file))).toEqual({});
  });

  it('strict-JSON clients: refuses a file with comments, which the client itself could not read', async () => {
    const file = target('claude-desktop');
    await put(file, '{\n  // note\n  "mcpServers": {}\n}\n');
    const err = await rejection(addToClient('claude-desktop', server, options));
    expect(err.code).toBe(ErrorCode.InvalidArgument);
    expect(err.message).toMatch(/InvalidCommentToken/);
  });

  it('writes through a symlink (dotfile managers) and keeps the file’s permissions, backup included', async () => {
    const real = path.join(home, 'dotfiles', 'mcp.json');
    await put(real, '{ "mcpServers": {} }\n');
    await chmod(real, 0o600);
    await mkdir(path.join(home, '.cursor'), { recursive: true });
    await symlink(real, target('cursor'));
    const result = await addToClient('cursor', server, options);
    expect(result.path).toBe(real);
    expect(servers('cursor', await read(real))).toHaveProperty('Fetch-Tools');
    expect((await stat(real)).mode & 0o777).toBe(0o600);
    expect((await stat(real + BACKUP_SUFFIX)).mode & 0o777).toBe(0o600);
    expect((await lstat(target('cursor'))).isSymbolicLink()).toBe(true);
  });

  it('writes nothing when the client saves the file meanwhile, and cleans up its temporary file', async () => {
    const file = target('cursor');
    await put(file, '{ "mcpServers": {} }\n');
    const writes: string[] = [];
    const racing: ConfigFs = {
      ...nodeConfigFs,
      async writeText(p, text, mode) {
        writes.push(p);
        await nodeConfigFs.writeText(p, text, mode);
        // The client saves its own change right after we wrote our temporary file.
        if (p.endsWith('.tmp')) await writeFile(file, '{ "mcpServers": { "theirs": {} } }\n');
      },
    };
    const err = await rejection(addToClient('cursor', server, { ...options, fs: racing }));
    expect(err.code).toBe(ErrorCode.Busy);
    expect(await read(file)).toBe('{ "mcpServers": { "theirs": {} } }\n');
    const temp = writes.find((p) => p.endsWith('.tmp')) ?? '';
    expect(temp).not.toBe('');
    expect(await exists(temp)).toBe(false);
  });

  it('reports a file it cannot write with the path, as a PatchbayError', async () => {
    const failing: ConfigFs = {
      ...nodeConfigFs,
      writeText: () =>
        Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })),
    };
    const err = await rejection(addToClient('cursor', server, { ...options, fs: failing }));
    expect(err.code).toBe(ErrorCode.Internal);
    expect(err.message).toMatch(/could not write .*\.tmp: EACCES/);
    expect(await exists(target('cursor'))).toBe(false);
  });

  it('Windows: the %APPDATA% file, backslash paths, folders created (in-memory fs)', async () => {
    const files = new Map<string, string>();
    const dirs: string[] = [];
    const memory: ConfigFs = {
      readText: (p) => Promise.resolve(files.get(p)),
      writeText: (p, t) => {
        files.set(p, t);
        return Promise.resolve();
      },
      mkdirp: (p) => {
        dirs.push(p);
        return Promise.resolve();
      },
      rename: (from, to) => {
        files.set(to, files.get(from) ?? '');
        files.delete(from);
        return Promise.resolve();
      },
      remove: (p) => {
        files.delete(p);
        return Promise.resolve();
      },
      resolve: (p) => Promise.resolve(p),
      mode: () => Promise.resolve(undefined),
    };
    const win = {
      platform: 'win32' as const,
      home: 'C:\\Users\\ada',
      env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
    };
    const result = await addToClient('claude-desktop', server, { ...win, fs: memory });
    const file = 'C:\\Users\\ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json';
    expect(result.path).toBe(file);
    expect(dirs).toEqual(['C:\\Users\\ada\\AppData\\Roaming\\Claude']);
    expect([...files.keys()]).toEqual([file]);
    expect(servers('claude-desktop', files.get(file) ?? '')).toEqual({
      'Fetch-Tools': clientEntry('claude-desktop', server).value,
    });
  });
});
