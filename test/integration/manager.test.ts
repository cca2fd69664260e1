import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, type PatchbayError } from '../../src/main/core/errors';
import { ServerManager } from '../../src/main/core/manager/server-manager';
import { KEY_BY_DEFAULT, SECRET_MASK } from '../../src/shared/server-config';
import { descendants } from '../support/proc-stats';
import { FIXTURE } from '../support/engine-client';
import { until } from '../support/processes';

const open: ServerManager[] = [];
const dirs: string[] = [];
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'patchbay-manager-'));
  dirs.push(d);
  return d;
}
function manager(dir: string): ServerManager {
  const m = ServerManager.open({ dataDir: dir, shutdownTimeoutMs: 3000 });
  open.push(m);
  return m;
}
afterEach(async () => {
  for (const m of open.splice(0)) await m.shutdown();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const fixture = (name: string, extra: object = {}) => ({
  name,
  command: process.execPath,
  args: [FIXTURE],
  ...extra,
});

/** Starts a server and gives the URL a client pastes: with its key when it has one (the default). */
async function startForClients(m: ServerManager, id: string): Promise<string> {
  await m.start(id);
  return m.connectUrls(id).url;
}

async function callTool(url: string, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const client = new Client({ name: 'manager-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    const res = await client.callTool({ name, arguments: args });
    return (res.content as { text: string }[])[0]!.text;
  } finally {
    await client.close();
  }
}

describe('ServerManager', () => {
  it('creates, lists, updates, duplicates and deletes, with field-level validation errors', async () => {
    const m = manager(dataDir());
    const a = await m.create(fixture('alpha'));
    expect(a.port).toBeGreaterThan(0);
    const err = (await m.create({ name: '', command: '' }).catch((e: unknown) => e)) as PatchbayError;
    expect(err.code).toBe(ErrorCode.InvalidArgument);
    expect(err.data).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'Give the server a name' },
        { field: 'command', message: expect.stringMatching(/Enter the command/) as unknown },
      ]),
    );
    await expect(m.create(fixture('ALPHA'))).rejects.toMatchObject({ code: ErrorCode.AlreadyExists });
    await expect(m.create(fixture('beta', { port: a.port }))).rejects.toMatchObject({
      code: ErrorCode.PortInUse,
    });

    const renamed = await m.update(a.id, fixture('alpha two', { mode: 'shared' }));
    expect(renamed).toMatchObject({ name: 'alpha two', mode: 'shared', port: a.port });
    const copy = await m.duplicate(a.id);
    expect(copy.name).toBe('alpha two copy');
    expect(copy.port).not.toBe(a.port);
    expect(m.list().map((s) => s.name)).toEqual(['alpha two', 'alpha two copy']);
    await m.delete(copy.id);
    expect(m.list().map((s) => s.id)).toEqual([a.id]);
    await expect(m.start('nope')).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });

  it('masks secrets for the UI, keeps them on edit, and hides them in logs and frames', async () => {
    const m = manager(dataDir());
    const secret = 'sk-live-abcdef123456';
    const s = await m.create(
      fixture('secretive', {
        env: [{ key: 'API_KEY', value: secret, secret: true }],
        token: 'a-long-bearer-token',
      }),
    );
    expect(s.env).toEqual([{ key: 'API_KEY', value: SECRET_MASK, secret: true }]);
    expect(s.hasToken).toBe(true);
    expect(JSON.stringify(m.list())).not.toContain(secret);
    expect(m.exportJson()).not.toContain(secret);
    expect(m.exportJson()).not.toContain('a-long-bearer-token');
    // The form sends the mask back: the stored value stays.
    await m.update(
      s.id,
      fixture('secretive', { env: [{ key: 'API_KEY', value: SECRET_MASK, secret: true }] }),
    );
    await m.update(s.id, {
      ...fixture('secretive', { env: [{ key: 'API_KEY', secret: true }] }),
      token: undefined,
    });
    const status = await m.start(s.id);
    const client = new Client({ name: 't', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(status.url!), {
        requestInit: { headers: { Authorization: 'Bearer a-long-bearer-token' } },
      }),
    );
    await client.callTool({ name: 'echo', arguments: { text: `echo ${secret}` } });
    await client.callTool({ name: 'stderr', arguments: { lines: 1, text: `leak ${secret}` } });
    await client.close();
    const frames = m.frames(s.id, { text: 'echo' });
    expect(frames.length).toBeGreaterThan(2);
    expect(JSON.stringify(m.frames(s.id))).not.toContain(secret);
    expect(JSON.stringify(m.frames(s.id))).toContain('[redacted]');
    await until(() => m.logs(s.id).some((l) => l.text.includes('leak')), 2000, 'stderr line');
    expect(m.logs(s.id).find((l) => l.text.includes('leak'))!.text).toBe('leak [redacted] 1');
  });

  it('keeps the port across update, restart and reopening the database', async () => {
    const dir = dataDir();
    const m = manager(dir);
    const s = await m.create(fixture('stable'));
    const url = (await m.start(s.id)).url!;
    expect(url).toBe(`http://127.0.0.1:${s.port}/mcp`);
    const withKey = m.connectUrls(s.id).url; // the server's key is stable too
    await m.update(s.id, fixture('stable renamed'));
    expect(m.status(s.id).url).toBe(url); // restarted with new settings, same URL
    expect((await m.restart(s.id)).url).toBe(url);
    expect(m.connectUrls(s.id).url).toBe(withKey);
    expect(await callTool(withKey, 'echo', { text: 'ok' })).toBe('ok');
    await m.shutdown();
    const again = manager(dir);
    const [restored] = await again.restore();
    expect(restored!.url).toBe(url);
    expect(again.connectUrls(s.id).url).toBe(withKey);
    expect(await callTool(withKey, 'echo', { text: 'still' })).toBe('still');
  });

  it('says which port is taken at start, and never moves to another one', async () => {
    const m = manager(dataDir());
    const s = await m.create(fixture('blocked'));
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(s.port, '127.0.0.1', r));
    try {
      const err = (await m.start(s.id).catch((e: unknown) => e)) as PatchbayError;
      expect(err.code).toBe(ErrorCode.PortInUse);
      expect(err.message).toContain(`Port ${s.port}`);
      expect(m.status(s.id)).toMatchObject({ error: { code: 'port_in_use' } });
      expect(m.status(s.id).url).toBeUndefined();
    } finally {
      blocker.close();
    }
    expect((await m.start(s.id)).url).toBe(`http://127.0.0.1:${s.port}/mcp`);
  });

  it('restores on launch what was running and what is marked autostart, not what was stopped', async () => {
    const dir = dataDir();
    const m = manager(dir);
    const running = await m.create(fixture('was running'));
    const auto = await m.create(fixture('autostart', { autostart: true }));
    const stopped = await m.create(fixture('stopped by user'));
    await m.start(running.id);
    await m.start(stopped.id);
    await m.stop(stopped.id);
    await m.shutdown();
    const again = manager(dir);
    const restored = await again.restore();
    expect(restored.map((r) => r.id).sort()).toEqual([running.id, auto.id].sort());
    expect(again.status(running.id).state.status).toBe('running');
    expect(again.status(auto.id).state.status).toBe('running');
    expect(again.status(stopped.id).state.status).toBe('stopped');
  });

  it('reports sessions and the clients seen', async () => {
    const m = manager(dataDir());
    const s = await m.create(fixture('clients'));
    const url = await startForClients(m, s.id);
    const seen: string[] = [];
    m.on('client-seen', (e) => seen.push(`${e.session.clientInfo?.name}@${e.session.protocolVersion}`));
    const client = new Client({ name: 'visible-client', version: '2.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    expect(m.status(s.id).sessions).toHaveLength(1);
    expect(m.status(s.id).sessions[0]!.clientInfo).toEqual({ name: 'visible-client', version: '2.0' });
    await client.close();
    expect(seen[0]).toMatch(/^visible-client@2025-/);
  });

  it('counts requests per activity bucket, ended sessions included, and reports the picture', async () => {
    const dir = dataDir();
    const m = ServerManager.open({ dataDir: dir, shutdownTimeoutMs: 3000, activityBucketMs: 200 });
    open.push(m);
    const s = await m.create(fixture('busy'));
    const url = await startForClients(m, s.id);
    expect(m.status(s.id).activity?.every((n) => n === 0)).toBe(true);
    // Each callTool is initialize + tools/call on its own session; ending them keeps their count.
    for (let i = 0; i < 3; i++) await callTool(url, 'echo', { text: String(i) });
    for (const session of m.status(s.id).sessions) await m.endSession(s.id, session.id);
    const pictures: number[][] = [];
    m.on('server-status', (st) => st.activity && pictures.push(st.activity));
    await until(() => pictures.some((p) => p.reduce((a, b) => a + b, 0) === 6));
    expect(pictures.at(-1)).toHaveLength(12);
    expect(m.status(s.id).sessions).toHaveLength(0);
    await m.stop(s.id);
    expect(m.status(s.id).activity).toBeUndefined();
  });

  it('counts the open bucket in the picture: requests show before their bucket closes', async () => {
    const m = manager(dataDir()); // 10 s buckets: the calls land before the first closes
    const s = await m.create(fixture('live-bucket'));
    const url = await startForClients(m, s.id);
    for (let i = 0; i < 2; i++) await callTool(url, 'echo', { text: String(i) });
    const activity = m.status(s.id).activity!;
    expect(activity).toHaveLength(12);
    expect(activity.reduce((a, b) => a + b, 0)).toBe(4);
    await m.stop(s.id);
  });

  it('exports and imports its own JSON', async () => {
    const m = manager(dataDir());
    await m.create(fixture('one', { env: [{ key: 'K', value: 'v' }] }));
    const text = m.exportJson();
    const other = manager(dataDir());
    const added = await other.importJson(text);
    expect(added.map((a) => [a.name, a.env])).toEqual([['one', [{ key: 'K', value: 'v', secret: false }]]]);
    await expect(other.importJson('{"x":1}')).rejects.toMatchObject({ code: ErrorCode.InvalidArgument });
  });

  it('imports servers found in AI clients’ config files, skipping what it has already', async () => {
    const home = dataDir();
    mkdirSync(join(home, '.cursor'), { recursive: true });
    writeFileSync(
      join(home, '.cursor/mcp.json'),
      JSON.stringify({
        mcpServers: {
          '@scope/files': {
            command: 'npx',
            args: ['-y', '@scope/files'],
            env: { API_TOKEN: 'tok-123456789' },
          },
          remote: { url: 'https://example.com/mcp' },
        },
      }),
    );
    const m = manager(dataDir());
    const scan = await m.scanClients({ home, env: {}, cwd: home });
    expect(scan.found.map((f) => f.name)).toEqual(['@scope/files']);
    expect(scan.skipped.map((s) => s.kind)).toContain('remote');
    const [added] = await m.importFromClients(scan.found);
    expect(added).toMatchObject({ name: 'scope-files', command: 'npx', args: ['-y', '@scope/files'] });
    expect(added!.env).toEqual([{ key: 'API_TOKEN', value: SECRET_MASK, secret: true }]);
    const again = await m.scanClients({ home, env: {}, cwd: home });
    expect(again.found).toEqual([]);
    expect(again.skipped.some((s) => s.reason === 'already in Patchbay as "scope-files"')).toBe(true);
  });

  it('keeps frame history on disk when asked, within its retention', async () => {
    const dir = dataDir();
    const m = manager(dir);
    m.setFrameHistory({ enabled: true, maxFrames: 6, maxAgeMs: 60_000 });
    const s = await m.create(fixture('history'));
    const url = await startForClients(m, s.id);
    await callTool(url, 'echo', { text: 'remember me' });
    await until(() => m.frames(s.id, { history: true, text: 'remember me' }).length > 0, 2000, 'history');
    expect(m.frames(s.id, { history: true }).length).toBeLessThanOrEqual(6);
    await m.shutdown();
    const again = manager(dir);
    expect(again.frames(s.id, { history: true }).some((f) => f.raw.includes('remember me'))).toBe(true);
  });
});

describe('the per-server key (issue 16)', () => {
  it('"Require a key" makes a random one, stable for the server\'s life; without it: 401, no process', async () => {
    const dir = dataDir();
    let m = manager(dir);
    const s = await m.create(fixture('keyed', { requireKey: true, mode: 'shared' }));
    expect(s.hasToken).toBe(true);
    const first = m.connectUrls(s.id);
    const key = new URL(first.url).searchParams.get('key')!;
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    expect(new URL(first.sseUrl).searchParams.get('key')).toBe(key);
    // The UI's view of the server, and its status, never hold the key.
    expect(JSON.stringify([s, m.list(), m.status(s.id)])).not.toContain(key);

    const before = descendants().length;
    const status = await m.start(s.id);
    // Shared mode starts its one process at Start: count what a keyless request adds.
    await until(() => descendants().length > before, 5000, 'the shared process');
    const running = descendants().length;
    const bare = await fetch(status.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
    });
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(bare.headers.get('mcp-session-id')).toBeNull();
    expect(m.status(s.id).sessions).toEqual([]);
    expect(descendants().length).toBe(running);
    expect(await callTool(first.url, 'echo', { text: 'with the key' })).toContain('with the key');
    // Legacy SSE by its capability URL: the endpoint event carries the key to the client, and
    // the inspector's copy of that event (and of everything else) shows it redacted.
    const legacy = new Client({ name: 'manager-test-sse', version: '1' });
    await legacy.connect(new SSEClientTransport(new URL(first.sseUrl)));
    expect((await legacy.listTools()).tools.length).toBeGreaterThan(0);
    await legacy.close();
    await until(
      () => m.frames(s.id).some((f) => f.raw.includes('/messages?sessionId=')),
      3000,
      'the endpoint frame',
    );
    const frames = JSON.stringify(m.frames(s.id));
    expect(frames).toContain('key=[redacted]');
    expect(frames).not.toContain(key);

    // An edit that leaves the token alone keeps the key; so does reopening the store.
    await m.update(s.id, fixture('keyed-renamed', { mode: 'shared' }));
    expect(m.connectUrls(s.id).url).toBe(first.url);
    await m.shutdown();
    open.splice(open.indexOf(m), 1);
    m = manager(dir);
    expect(m.connectUrls(s.id).url).toBe(first.url);

    // Turning it off removes the key: the bare URL is the URL.
    const off = await m.update(s.id, fixture('keyed-renamed', { mode: 'shared', requireKey: false }));
    expect(off.hasToken).toBe(false);
    expect(m.connectUrls(s.id).url).not.toContain('key=');
  });

  it('a new server follows KEY_BY_DEFAULT; requireKey: false leaves it open; a given token is kept', async () => {
    const m = manager(dataDir());
    expect((await m.create(fixture('default'))).hasToken).toBe(KEY_BY_DEFAULT);
    expect((await m.create(fixture('open', { requireKey: false }))).hasToken).toBe(false);
    const chosen = await m.create(fixture('chosen', { requireKey: true, token: 'my-own-key-123' }));
    expect(m.connectUrls(chosen.id).url).toMatch(/\?key=my-own-key-123$/);
  });
});
