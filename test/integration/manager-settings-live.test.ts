// Saving Settings on a running server: what can change live applies live (sessions stay, no new
// process); what needs a restart is refused while clients are connected, naming them, until the
// user says go ahead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, type PatchbayError } from '../../src/main/core/errors';
import { ServerManager } from '../../src/main/core/manager/server-manager';
import { FIXTURE } from '../support/engine-client';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function runningWithClient() {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-live-'));
  const m = ServerManager.open({ dataDir: dir, shutdownTimeoutMs: 3000 });
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => m.shutdown(),
  );
  const s = await m.create({ name: 'live', command: process.execPath, args: [FIXTURE] });
  const url = (await m.start(s.id)).url!; // bare: no key
  const client = new Client({ name: 'settings-watcher', version: '3.1' });
  const transport = new StreamableHTTPClientTransport(new URL(m.connectUrls(s.id).url));
  await client.connect(transport);
  cleanups.push(() => client.close());
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    ((await client.callTool({ name, arguments: args })).content as { text: string }[])[0]!.text;
  const echo = (text: string) => call('echo', { text });
  const pid = () => call('pid');
  return { m, s, url, client, transport, echo, pid };
}

describe('saving settings of a running server', () => {
  it('applies name, limits, origins and restart policy live: the session and its process stay', async () => {
    const { m, s, transport, echo, pid } = await runningWithClient();
    expect(await echo('before')).toContain('before');
    const pidBefore = await pid();
    const edited = await m.update(s.id, {
      name: 'renamed',
      command: process.execPath,
      args: [FIXTURE],
      allowedOrigins: ['https://app.example'],
      restart: { enabled: true, initialDelayMs: 500, maxDelayMs: 5000 },
      limits: { maxProcesses: 8, maxSessions: 50, idleTimeoutMs: 600_000, maxBodyBytes: 1_048_576 },
    });
    expect(edited.name).toBe('renamed');
    expect(await echo('after')).toContain('after');
    expect(m.status(s.id).sessions.map((x) => x.id)).toEqual([transport.sessionId]);
    expect(await pid()).toBe(pidBefore);
  });

  it('applies a new token live: requests without it get 401 at once, with it they pass', async () => {
    const { m, s, url } = await runningWithClient();
    await m.update(s.id, {
      name: 'live',
      command: process.execPath,
      args: [FIXTURE],
      token: 'a-brand-new-token',
    });
    const init = (auth?: string) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(auth ? { authorization: auth } : {}),
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-06-18',
            capabilities: {},
            clientInfo: { name: 'x', version: '1' },
          },
        }),
      });
    expect((await init()).status).toBe(401);
    const ok = await init('Bearer a-brand-new-token');
    expect(ok.status).toBe(200);
    await ok.text();
  });

  it('refuses a restarting change while a client is connected, naming it, and saves nothing', async () => {
    const { m, s, echo } = await runningWithClient();
    const err = (await m
      .update(s.id, { name: 'live', command: process.execPath, args: [FIXTURE, '--noise-on-start'] })
      .catch((e: unknown) => e)) as PatchbayError;
    expect(err.code).toBe(ErrorCode.RestartNeeded);
    expect(err.message).toMatch(/its command changed/);
    expect(err.message).toContain('settings-watcher 3.1');
    expect(m.get(s.id).args).toEqual([FIXTURE]);
    expect(await echo('still here')).toContain('still here');
  });

  it('with the go-ahead, saves and restarts: the old session is gone', async () => {
    const { m, s, client } = await runningWithClient();
    const before = m.status(s.id).sessions.length;
    expect(before).toBe(1);
    await m.update(
      s.id,
      { name: 'live', command: process.execPath, args: [FIXTURE, '--noise-on-start'] },
      { restart: true },
    );
    expect(m.get(s.id).args).toEqual([FIXTURE, '--noise-on-start']);
    expect(m.status(s.id).state.status).toBe('running');
    expect(m.status(s.id).sessions).toEqual([]);
    await expect(client.callTool({ name: 'echo', arguments: { text: 'x' } })).rejects.toThrow();
  });
});
