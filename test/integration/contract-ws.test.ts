import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiHub } from '../../src/main/core/api/api-hub';
import { ServerManager } from '../../src/main/core/manager/server-manager';
import { type HeadlessShell, startHeadlessShell } from '../../src/main/headless';
import { type Snapshot, WS_PATH, commands, events } from '../../src/shared/contract';
import type { ConnectUrls } from '../../src/shared/connect';
import type { Frame } from '../../src/shared/frames';
import type { ServerConfigView } from '../../src/shared/server-config';
import type { ServerStatus, StderrEntry } from '../../src/shared/status';
import type { SavedCall, ToolCatalog, ToolServerRequest } from '../../src/shared/tools';
import { FIXTURE } from '../support/engine-client';
import { repoRoot, requireBuild } from '../support/paths';
import { WsApiClient } from '../support/ws-api-client';

let dataDir: string;
let manager: ServerManager;
let hub: ApiHub;
let shell: HeadlessShell;
let origin: string;
let wsUrl: string;
let token: string;

beforeAll(async () => {
  requireBuild();
  dataDir = mkdtempSync(join(tmpdir(), 'patchbay-contract-'));
  // `home` keeps connect.add away from this machine's real client config files.
  manager = ServerManager.open({ dataDir, home: dataDir });
  hub = new ApiHub(manager, { batchMs: 30 });
  shell = await startHeadlessShell({ rendererDir: resolve(repoRoot, 'out/renderer'), port: 0, hub });
  const u = new URL(shell.url);
  origin = u.origin;
  token = WsApiClient.tokenOf(shell.url);
  wsUrl = `ws://${u.host}${WS_PATH}`;
});
afterAll(async () => {
  hub.close();
  await shell.close();
  await manager.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

async function mcpCall(url: string, tool: string, args: Record<string, unknown>): Promise<void> {
  const client = new Client({ name: 'contract-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  await client.callTool({ name: tool, arguments: args });
  await client.close();
}

describe('the contract over the WebSocket binding', () => {
  it('runs every command and delivers every event against a real manager and servers', async () => {
    const api = await WsApiClient.connect(wsUrl, { Origin: origin }, token);
    const secret = 'sk-contract-secret-987654';
    expect(await api.ok('servers.list')).toEqual([]);

    const bad = await api.call('servers.create', { name: '', command: '' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.fields?.map((f) => f.field)).toEqual(
      expect.arrayContaining(['name', 'command']),
    );

    const s = await api.ok<ServerConfigView>('servers.create', {
      name: 'contract',
      command: process.execPath,
      args: [FIXTURE],
      env: [{ key: 'API_KEY', value: secret, secret: true }],
    });
    await api.waitEvent((e) => e.name === 'servers.changed');
    expect((await api.ok<ServerConfigView>('servers.get', { id: s.id })).name).toBe('contract');
    const updated = await api.ok<ServerConfigView>('servers.update', {
      id: s.id,
      input: {
        name: 'contract',
        command: process.execPath,
        args: [FIXTURE],
        env: [{ key: 'API_KEY', secret: true }],
      },
    });
    expect(updated.port).toBe(s.port);
    const copy = await api.ok<ServerConfigView>('servers.duplicate', { id: s.id });

    const started = await api.ok<ServerStatus>('servers.start', { id: s.id });
    expect(started.url).toBe(`http://127.0.0.1:${s.port}/mcp`);
    // A new server has a key: the URLs to paste carry it; the status (broadcast) never does.
    expect(s.hasToken).toBe(true);
    const { url: keyed, sseUrl } = await api.ok<ConnectUrls>('servers.connectUrls', { id: s.id });
    expect(keyed).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${s.port}/mcp\\?key=[\\w-]{43}$`));
    expect(sseUrl).toBe(`http://127.0.0.1:${s.port}/sse?key=${new URL(keyed).searchParams.get('key')}`);
    expect(JSON.stringify(started)).not.toContain(new URL(keyed).searchParams.get('key'));
    await api.waitEvent(
      (e) => e.name === 'server.status' && (e.payload as ServerStatus).state.status === 'running',
    );
    expect((await api.ok<ServerStatus>('servers.status', { id: s.id })).state.status).toBe('running');
    expect((await api.ok<ServerStatus[]>('servers.statuses')).length).toBe(2);

    const frames = await api.ok<Snapshot<Frame>>('frames.subscribe', { id: s.id });
    const logs = await api.ok<Snapshot<StderrEntry>>('logs.subscribe', { id: s.id });
    await mcpCall(keyed, 'echo', { text: `hello ${secret}` });
    await mcpCall(keyed, 'stderr', { lines: 2, text: 'to the log' });
    await api.waitEvent((e) => e.name === 'client.seen');
    await api.waitEvent((e) => e.name === 'logs.batch' && JSON.stringify(e.payload).includes('to the log 2'));
    await api.waitEvent((e) => e.name === 'frames.batch');
    // Live frames follow the snapshot with no gap and no duplicate.
    const live = api.events
      .filter((e) => e.name === 'frames.batch')
      .flatMap((e) => (e.payload as { frames: Frame[] }).frames.map((f) => f.seq));
    const all = [...frames.items.map((f) => f.seq), ...live];
    expect(all[0]).toBe(frames.items[0]?.seq ?? frames.lastSeq + 1);
    expect(all).toEqual(all.map((_, i) => all[0]! + i));
    // Live log lines likewise follow the log snapshot: no gap, no duplicate.
    const liveLogs = api.events
      .filter((e) => e.name === 'logs.batch')
      .flatMap((e) => (e.payload as { entries: StderrEntry[] }).entries.map((l) => l.seq));
    const allLogs = [...logs.items.map((l) => l.seq), ...liveLogs];
    expect(liveLogs.length).toBeGreaterThan(0);
    expect(allLogs).toEqual(allLogs.map((_, i) => allLogs[0]! + i));
    expect(liveLogs[0]).toBe(logs.lastSeq + 1);

    const found = await api.ok<Frame[]>('frames.query', { id: s.id, query: { method: 'tools/call' } });
    expect(found.length).toBeGreaterThan(0);

    // The Tools tab: catalog, a call with progress and Cancel, a server's question answered, saved calls.
    const catalog = await api.ok<ToolCatalog>('tools.catalog', { id: s.id });
    expect(catalog.tools.map((t) => t.name)).toContain('echo');
    const slow = await api.ok<{ callId: string }>('tools.call', {
      id: s.id,
      name: 'slow',
      args: { ms: 60_000, steps: 600 },
    });
    const isCall = (name: string, callId: string) => (e: { name: string; payload: unknown }) =>
      e.name === name && (e.payload as { callId?: string }).callId === callId;
    await api.waitEvent(isCall('tools.progress', slow.callId));
    expect(await api.ok('tools.cancel', { id: s.id, callId: slow.callId })).toBe(true);
    expect(await api.waitEvent(isCall('tools.result', slow.callId))).toMatchObject({
      ok: false,
      cancelled: true,
    });
    const saved = await api.ok<SavedCall>('tools.save', {
      id: s.id,
      name: 'ask',
      tool: 'elicit',
      args: { message: 'name?' },
    });
    const asked = await api.ok<{ callId: string }>('tools.call', {
      id: s.id,
      name: 'elicit',
      args: { message: 'name?' },
      savedId: saved.id,
    });
    const question = (await api.waitEvent(isCall('tools.request', asked.callId))) as ToolServerRequest;
    expect(
      await api.ok('tools.answer', {
        id: s.id,
        requestId: question.requestId,
        answer: { result: { action: 'decline' } },
      }),
    ).toBe(true);
    expect(await api.waitEvent(isCall('tools.result', asked.callId))).toMatchObject({
      ok: true,
      savedId: saved.id,
    });
    expect((await api.ok<SavedCall[]>('tools.saved', { id: s.id }))[0]?.lastOutcome?.ok).toBe(true);
    expect(await api.ok('tools.deleteSaved', { id: s.id, savedId: saved.id })).toBeNull();

    // Ending a session from the UI: the client's next request is refused with 404.
    const held = new Client({ name: 'held-open', version: '7' });
    const heldTransport = new StreamableHTTPClientTransport(new URL(keyed));
    await held.connect(heldTransport);
    const sessionId = heldTransport.sessionId!;
    const before = await api.ok<ServerStatus>('servers.status', { id: s.id });
    expect(before.sessions.find((x) => x.id === sessionId)?.clientInfo).toEqual({
      name: 'held-open',
      version: '7',
    });
    expect(await api.ok('sessions.end', { id: s.id, sessionId })).toBeNull();
    expect(
      (await api.ok<ServerStatus>('servers.status', { id: s.id })).sessions.map((x) => x.id),
    ).not.toContain(sessionId);
    await expect(held.callTool({ name: 'echo', arguments: { text: 'x' } })).rejects.toThrow(/404|not found/i);
    expect(await api.call('sessions.end', { id: s.id, sessionId })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    await held.close();

    // Resuming with another run's numbering (Patchbay restarted under the page) sends this run whole.
    const resumed = await api.ok<Snapshot<Frame>>('frames.subscribe', {
      id: s.id,
      afterSeq: frames.lastSeq + 1_000_000,
      run: 'a-run-that-is-gone',
    });
    expect(resumed.run).toBe(frames.run);
    expect(resumed.items[0]?.seq).toBe(1);
    const sameRun = await api.ok<Snapshot<Frame>>('frames.subscribe', {
      id: s.id,
      afterSeq: resumed.lastSeq,
      run: resumed.run,
    });
    expect(sameRun.items).toEqual([]);
    expect(logs.run).toMatch(/^[0-9a-f]{12}$/);
    expect(await api.ok('frames.clear', { id: s.id })).toBeNull();
    expect(await api.ok<Frame[]>('frames.query', { id: s.id })).toEqual([]);
    expect(await api.ok('logs.clear', { id: s.id })).toBeNull();
    expect(await api.ok<Snapshot<StderrEntry>>('logs.subscribe', { id: s.id })).toMatchObject({ items: [] });
    await api.ok('frames.unsubscribe', { id: s.id });
    await api.ok('logs.unsubscribe', { id: s.id });
    expect(
      await api.ok('clients.parse', { text: '"mem": {"command": "npx", "args": ["-y", "server-memory"]}' }),
    ).toEqual({
      servers: [{ name: 'mem', command: 'npx', args: ['-y', 'server-memory'], env: {}, warnings: [] }],
      skipped: [],
    });
    expect(await api.call('dialog.pickDirectory', {})).toMatchObject({
      ok: false,
      error: { code: 'unsupported' },
    });

    expect(
      await api.ok('settings.setFrameHistory', { enabled: false, maxFrames: 1000, maxAgeMs: 60_000 }),
    ).toBeNull();
    expect(await api.ok('settings.frameHistory')).toMatchObject({ maxFrames: 1000 });
    const snippets = await api.ok<{ client: string }[]>('connect.snippets', { id: s.id });
    expect(snippets.map((x) => x.client)).toContain('cursor');
    const added = await api.ok<{ action: string; path: string }>('connect.add', {
      id: s.id,
      client: 'cursor',
    });
    expect(added.action).toBe('added');
    expect(added.path.startsWith(dataDir)).toBe(true);
    const statuses = await api.ok<{ client: string; state: string }[]>('connect.status', { id: s.id });
    expect(statuses.find((x) => x.client === 'cursor')?.state).toBe('registered');
    expect((await api.ok<{ action: string }>('connect.remove', { id: s.id, client: 'cursor' })).action).toBe(
      'removed',
    );
    expect(await api.call('connect.copy', { id: s.id, client: 'cursor', item: 0 })).toMatchObject({
      ok: false,
    });
    expect(await api.ok('settings.setCloseToTray', { enabled: false })).toBeNull();
    expect(await api.ok('settings.closeToTray')).toBe(false);
    // The browser shell has no system clipboard: a clear error, and the UI uses its own.
    expect(await api.call('clipboard.write', { text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'unsupported' },
    });
    expect(await api.ok('clients.scan', { cwd: dataDir })).toMatchObject({
      found: expect.any(Array) as unknown,
    });
    expect(await api.ok('clients.import', { entries: [] })).toEqual([]);
    const exported = await api.ok<string>('config.export');
    const imported = await api.ok<ServerConfigView[]>('config.import', { text: exported });
    expect(imported).toHaveLength(2);
    expect((await api.ok<ServerStatus>('servers.restart', { id: s.id })).url).toBe(started.url);
    await api.ok('servers.startAll');
    expect(await api.ok('servers.stopAll')).toBeNull();
    expect((await api.ok<ServerStatus>('servers.stop', { id: s.id })).state.status).toBe('stopped');
    for (const v of [copy, ...imported]) expect(await api.ok('servers.delete', { id: v.id })).toBeNull();

    const unknown = await api.call('no.such' as never);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_command' } });

    expect([...api.called].filter((n) => n in commands).sort()).toEqual(Object.keys(commands).sort());
    expect(new Set(api.events.map((e) => e.name))).toEqual(new Set(Object.keys(events)));
    // Secrets never cross the boundary in clear, whatever the payload.
    expect(api.raw.some((m) => m.includes(secret))).toBe(false);
    api.close();
  });

  it('refuses a wrong token, a missing token and a foreign Origin', async () => {
    await expect(WsApiClient.connect(wsUrl, { Origin: origin }, 'wrong')).rejects.toThrow(/closed: 4401/);
    // Without the token first, nothing is run: the call closes the socket.
    const bare = await WsApiClient.connect(wsUrl, { Origin: origin });
    void bare.call('servers.create', { name: 'unauthenticated', command: '/bin/sh' });
    expect(await bare.closed()).toBe(4401);
    await expect(WsApiClient.connect(wsUrl, { Origin: 'http://evil.example' }, token)).rejects.toThrow(/403/);
    await expect(WsApiClient.connect(wsUrl, {}, token)).rejects.toThrow(/403/);
    const ok = await WsApiClient.connect(wsUrl, { Origin: origin }, token);
    const names = (await ok.ok<ServerConfigView[]>('servers.list')).map((s) => s.name);
    expect(names).not.toContain('unauthenticated');
    ok.close();
  });
});
