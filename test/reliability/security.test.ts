import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { type Socket, connect } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiHub } from '../../src/main/core/api/api-hub';
import { ServerManager } from '../../src/main/core/manager/server-manager';
import { UI_SERVER_LIMITS, startHeadlessShell } from '../../src/main/headless';
import { WS_PATH } from '../../src/shared/contract';
import { DEFAULT_RETENTION } from '../../src/main/core/store/frame-history';
import { openDatabase } from '../../src/main/core/store/database';
import { ChildLedger } from '../../src/main/core/store/child-ledger';
import { processStartMark } from '../../src/main/core/stdio/process-identity';
import { spawn } from 'node:child_process';
import { type RunningCli, startCli } from '../support/cli-process';
import { FIXTURE, fixtureConfig } from '../support/engine-client';
import { descendants } from '../support/proc-stats';
import { bindsToLoopbackOnly, isLoopbackHost } from '../../src/main/core/http/access-policy';
import { cleanupAll, http1, initializeMessage, postRpc, serve, stream } from '../support/http-wire';
import { repoRoot } from '../support/paths';
import { until } from '../support/processes';
import { WsApiClient } from '../support/ws-api-client';

// Issue 10, Security, what test/integration does not cover already. Covered there:
// DNS rebinding with a foreign Host and a foreign Origin, each alone, on every method and
// path, and the CORS preflight for allowed and foreign origins (http-protocol.test.ts
// "Origin and Host", "CORS"); 401 without the token on a loopback endpoint and refusing
// to bind beyond loopback without one (http-protocol.test.ts "bearer token",
// cli-run.test.ts); secrets masked in list/export and redacted in plain log and frame text
// (manager.test.ts). Here: the token on a non-loopback bind, on every endpoint; and every
// sink we can reach searched for secret values that need escaping on the wire.
//
// The WebSocket binding (the contract the UI uses) is one of the sinks searched below; its
// token and Origin checks are covered by test/integration/contract-ws.test.ts ("refuses a
// wrong token, a missing token and a foreign Origin"), and the plain-secret search of its
// payloads there too; here the secrets are ones that need escaping.

const running: RunningCli[] = [];
const managers: ServerManager[] = [];
const dirs: string[] = [];
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await cleanupAll();
  for (const close of closers.splice(0).reverse()) await close();
  for (const cli of running.splice(0)) await cli.stop('SIGTERM');
  for (const m of managers.splice(0)) await m.shutdown();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('a server bound beyond loopback', () => {
  it('requires the key on every endpoint and method, whatever the Host; in the query only as ?key=', async () => {
    const token = 'tok-Bound-0.0.0.0-x9';
    const cli = await startCli(
      ['run', '--port', '0', '--host', '0.0.0.0', '--token', token, '--', process.execPath, FIXTURE],
      /Streamable HTTP\s+http:\/\/127\.0\.0\.1:(\d+)\/mcp/,
    );
    running.push(cli);
    const port = Number(cli.match[1]);
    const auth = { authorization: `Bearer ${token}` };
    // Bound to every interface, any Host may reach it (a LAN name): the token is the gate.
    const hosts = [`127.0.0.1:${port}`, `mcp.lan:${port}`, 'evil.example'];
    const attempts: [string, string, Record<string, string>][] = [
      ['POST', '/mcp', { 'content-type': 'application/json' }],
      ['GET', '/mcp', { accept: 'text/event-stream', 'mcp-session-id': 'x' }],
      ['DELETE', '/mcp', { 'mcp-session-id': 'x' }],
      ['GET', '/sse', { accept: 'text/event-stream' }],
      ['POST', '/messages?sessionId=x', { 'content-type': 'application/json' }],
      ['POST', `/mcp?token=${token}`, { 'content-type': 'application/json' }],
      ['POST', `/mcp?access_token=${token}`, { 'content-type': 'application/json' }],
      ['POST', `/mcp?key=${token}x`, { 'content-type': 'application/json' }],
      ['GET', '/sse?key=wrong', { accept: 'text/event-stream' }],
    ];
    for (const host of hosts) {
      for (const [method, path, headers] of attempts) {
        for (const authorization of [undefined, 'Bearer wrong', `bearer  ${token}x`, `Basic ${token}`]) {
          const x = await http1(port, {
            method,
            path,
            headers: { host, ...headers, ...(authorization ? { authorization } : {}) },
            ...(method === 'POST' ? { body: JSON.stringify(initializeMessage('2025-06-18')) } : {}),
          });
          expect(x.status, `${method} ${path} Host ${host} auth ${authorization}`).toBe(401);
          expect(x.headers['www-authenticate']).toMatch(/^Bearer/);
          expect(x.headers['mcp-session-id']).toBeUndefined();
        }
      }
    }
    // With the token: a session, and its legacy counterpart whose endpoint URL carries the key
    // (the client POSTs there with no header; a session id is never the credential).
    const init = await postRpc(port, initializeMessage('2025-06-18'), {
      ...auth,
      accept: 'application/json',
      host: `mcp.lan:${port}`,
    });
    expect(init.status).toBe(200);
    const sse = stream(port, { path: '/sse', headers: { ...auth, accept: 'text/event-stream' } });
    const body = await sse.waitFor((b) => b.includes('event: endpoint'), 5000);
    sse.destroy();
    const endpoint = new URL(/event: endpoint\ndata: (.*)\n/.exec(body)![1]!);
    expect(endpoint.searchParams.get('key')).toBe(token);
    // Case-insensitive scheme, as RFC 6750 allows.
    const lower = await postRpc(port, initializeMessage('2025-06-18'), {
      authorization: `bearer ${token}`,
      accept: 'application/json',
    });
    expect(lower.status).toBe(200);
  });
});

describe('secrets never leave through a sink', () => {
  it('env secrets and the token (quotes, backslashes, non-ASCII) appear in no log, frame, history, export, list, status, event, WebSocket message or file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchbay-secrets-'));
    dirs.push(dir);
    const m = ServerManager.open({ dataDir: dir, shutdownTimeoutMs: 3000 });
    managers.push(m);
    // The UI's WebSocket, as the browser shell serves it: every message it receives is a sink.
    const hub = new ApiHub(m, { batchMs: 30 });
    closers.push(() => hub.close());
    const shell = await startHeadlessShell({ rendererDir: resolve(repoRoot, 'out/renderer'), port: 0, hub });
    closers.push(() => shell.close());
    const shellUrl = new URL(shell.url);
    const api = await WsApiClient.connect(
      `ws://${shellUrl.host}${WS_PATH}`,
      { Origin: shellUrl.origin },
      shell.token,
    );
    closers.push(() => api.close());
    const events: unknown[] = [];
    m.on('server-status', (s) => events.push(s));
    m.on('servers-changed', (s) => events.push(s));
    m.on('client-seen', (s) => events.push(s));
    m.setFrameHistory({ enabled: true, ...DEFAULT_RETENTION });

    // Values that JSON escapes on the wire (", \, control chars) or some servers escape (é as \u00e9).
    const apiKey = 'sk-live-"quoted"\\back\\slash-4f9a';
    const password = 'pässwörd-ünïcode-7c2e';
    const token = 'bearer-Tok3n-"with\\specials"';
    const secrets = [apiKey, password, token];
    const created = await m.create({
      name: 'secretive',
      command: process.execPath,
      args: [FIXTURE],
      mode: 'shared',
      env: [
        { key: 'API_KEY', value: apiKey, secret: true },
        { key: 'DB_PASSWORD', value: password, secret: true },
        { key: 'PLAIN', value: 'not-a-secret' },
      ],
      token,
      restart: { enabled: false },
    });
    const status = await m.start(created.id);
    await api.ok('logs.subscribe', { id: created.id });
    await api.ok('frames.subscribe', { id: created.id });
    const client = new Client({ name: 'secret-client', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(status.url!), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
    // The server leaks each secret on stderr, as stdout noise and in its results (JSON-escaped),
    // the client sends them in arguments, and one is in a Python-style \u-escaped form.
    // (Redaction is for what Patchbay shows and keeps; the client gets the server's bytes.)
    for (const [name, value] of [
      ['API_KEY', apiKey],
      ['DB_PASSWORD', password],
    ] as const) {
      const r = await client.callTool({ name: 'leak_env', arguments: { name } });
      expect((r.content as { text: string }[])[0]!.text).toBe(`the value is ${value}`);
    }
    for (const s of secrets) await client.callTool({ name: 'echo', arguments: { text: `echo ${s}` } });
    const asciiEscaped = uEscape(JSON.stringify(password));
    await client.callTool({ name: 'stderr', arguments: { lines: 1, text: `py ${asciiEscaped}` } });
    // Every character \u-escaped (`\u0073\u006b…`), as arguments and echoed in a result:
    // frames and history hold it JSON-escaped once more.
    for (const secret of secrets) {
      await client.callTool({ name: 'echo', arguments: { text: `all-u ${allUEscape(secret)}` } });
    }
    await client.callTool({ name: 'stderr', arguments: { lines: 1, text: `last words ${apiKey}` } });
    await until(
      () => m.logs(created.id).some((l) => l.text.startsWith('last words')),
      3000,
      'the last stderr line',
    );
    // A crash names the last stderr line in the status reason.
    await client.callTool({ name: 'crash', arguments: {} }).catch(() => undefined);
    await until(() => m.status(created.id).state.status === 'crashed', 5000, 'the crash');
    await client.close().catch(() => undefined);
    // Frame batches reach the history: the checks below must see them there, not an empty table.
    await until(
      () => m.frames(created.id, { history: true, text: 'all-u' }).length >= secrets.length * 2,
      10_000,
      'the escaped calls in the frame history',
    );

    for (const [name, args] of [
      ['servers.list', undefined],
      ['servers.get', { id: created.id }],
      ['servers.status', { id: created.id }],
      ['servers.statuses', undefined],
      ['frames.query', { id: created.id }],
      ['frames.query', { id: created.id, history: true }],
      ['config.export', undefined],
      ['connect.snippets', { id: created.id }],
    ] as const) {
      await api.call(name, args);
    }
    const sinks: Record<string, string> = {
      websocket: api.raw.join('\n'),
      logs: JSON.stringify(m.logs(created.id)),
      frames: JSON.stringify(m.frames(created.id)),
      history: JSON.stringify(m.frames(created.id, { history: true })),
      export: m.exportJson(),
      list: JSON.stringify(m.list()),
      get: JSON.stringify(m.get(created.id)),
      status: JSON.stringify(m.status(created.id)),
      events: JSON.stringify(events),
    };
    for (const file of readdirSync(dir))
      sinks[`file ${file}`] =
        readFileSync(join(dir, file)).toString('latin1') + readFileSync(join(dir, file)).toString('utf8');
    expect(sinks['frames']).toContain('[redacted]');
    expect(sinks['websocket']).toContain('frames.batch');
    expect(sinks['websocket']).toContain('[redacted]');
    expect(sinks['logs']).toContain('[redacted]');
    expect(sinks['status']).toContain('last words [redacted]');
    expect((JSON.parse(sinks['history']!) as unknown[]).length).toBeGreaterThan(10);

    const leaks: string[] = [];
    for (const secret of secrets) {
      for (const [sink, text] of Object.entries(sinks)) {
        for (const form of wireForms(secret)) {
          const at = text.indexOf(form);
          if (at !== -1)
            leaks.push(`${sink}: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + form.length + 20))}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});

/** Every character as a \u escape: valid JSON string content no simple form matches. */
function allUEscape(s: string): string {
  return [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
}

/** Non-ASCII characters as \u escapes (what Python's json.dumps writes by default). */
function uEscape(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Every form a secret can take in the sinks' text: as is or with every character \u-escaped,
 * JSON-escaped up to three times (frame text is JSON, kept inside JSON, inside a JSON
 * export), each also with non-ASCII \u-escaped.
 */
function wireForms(secret: string): Set<string> {
  const forms = new Set<string>();
  for (const base of [secret, allUEscape(secret)]) {
    let s = base;
    for (let depth = 0; depth < 4; depth++) {
      forms.add(s);
      forms.add(uEscape(s));
      s = JSON.stringify(s).slice(1, -1);
    }
  }
  return forms;
}

describe('cross-site browser requests (issue 16)', () => {
  it('are refused on every proxy route, GET /sse included, before any session or process', async () => {
    const { port } = await serve(fixtureConfig('isolated'), {
      port: 0,
      allowedOrigins: ['http://allowed.example'],
    });
    await until(() => descendants().length > 0, 10_000, 'the warm spare');
    const processesBefore = new Set(descendants());
    const routes: [string, string, Record<string, string>][] = [
      ['POST', '/mcp', { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }],
      ['GET', '/mcp', { accept: 'text/event-stream' }],
      ['DELETE', '/mcp', { 'mcp-session-id': 'x' }],
      ['GET', '/sse', { accept: 'text/event-stream' }],
      ['GET', '/sse', {}],
      ['POST', '/messages?sessionId=x', { 'content-type': 'application/json' }],
      ['OPTIONS', '/mcp', { 'access-control-request-method': 'POST' }],
      ['GET', '/elsewhere', {}],
    ];
    for (const site of ['cross-site', 'same-site', 'Cross-Site']) {
      for (const [method, path, headers] of routes) {
        const x = await http1(port, {
          method,
          path,
          headers: { ...headers, 'sec-fetch-site': site, 'sec-fetch-mode': 'no-cors' },
          ...(method === 'POST' ? { body: JSON.stringify(initializeMessage('2025-06-18')) } : {}),
        });
        expect(x.status, `${method} ${path} ${site}`).toBe(403);
        expect(x.headers['mcp-session-id']).toBeUndefined();
        expect(x.headers['content-type']).not.toMatch(/event-stream/);
      }
    }
    expect(descendants().filter((p) => !processesBefore.has(p))).toEqual([]);
    // Same-origin and user-initiated requests, and clients outside browsers, still get in.
    for (const site of ['same-origin', 'none', undefined]) {
      const init = await postRpc(port, initializeMessage('2025-06-18'), {
        accept: 'application/json',
        ...(site ? { 'sec-fetch-site': site } : {}),
      });
      expect(init.status, String(site)).toBe(200);
    }
    // A browser client on an origin the user allowed is the one cross-site caller let in.
    const allowed = await postRpc(port, initializeMessage('2025-06-18'), {
      accept: 'application/json',
      origin: 'http://allowed.example',
      'sec-fetch-site': 'cross-site',
    });
    expect(allowed.status).toBe(200);
    const foreign = await postRpc(port, initializeMessage('2025-06-18'), {
      accept: 'application/json',
      origin: 'http://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    expect(foreign.status).toBe(403);
  });
});

describe('loopback is decided by address (issue 16)', () => {
  it('knows loopback addresses from their spelling-alikes', async () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of [
      '127.attacker.example',
      '127.0.0.1.nip.io',
      'localhost.evil',
      '0.0.0.0',
      '::',
      '128.0.0.1',
      '::ffff:10.0.0.1',
    ])
      expect(isLoopbackHost(h), h).toBe(false);
    expect(await bindsToLoopbackOnly('localhost')).toBe(true);
    expect(await bindsToLoopbackOnly('127.attacker.example')).toBe(false);
    expect(await bindsToLoopbackOnly('0.0.0.0')).toBe(false);
  });

  it('`run --host 127.attacker.example` without a token is refused', async () => {
    const cli = await startCli(
      ['run', '--host', '127.attacker.example', '--port', '0', '--no-key', '--', process.execPath, FIXTURE],
      /set a token/,
    );
    running.push(cli);
    expect(await cli.exited()).toBe(1);
    expect(cli.output()).not.toContain('Streamable HTTP');
  });

  it('`run --host localhost` resolves to loopback: serves, foreign Host refused', async () => {
    const cli = await startCli(
      ['run', '--host', 'localhost', '--port', '0', '--', process.execPath, FIXTURE],
      /Streamable HTTP\s+(http:\/\/localhost:(\d+)\/mcp\S*)/,
    );
    running.push(cli);
    const port = Number(cli.match[2]);
    // The printed URL as a client would use it (with its ?key=… when the key is on).
    const path = new URL(cli.match[1]!).pathname + new URL(cli.match[1]!).search;
    const init = await postRpc(port, initializeMessage('2025-06-18'), { accept: 'application/json' }, path);
    expect(init.status).toBe(200);
    const rebound = await postRpc(
      port,
      initializeMessage('2025-06-18'),
      { accept: 'application/json', host: `evil.example:${port}` },
      path,
    );
    expect(rebound.status).toBe(403);
  });
});

describe('the UI server under a flood (issue 16)', () => {
  it('caps its connections, and drops a client that never finishes its headers', async () => {
    const shell = await startHeadlessShell({ rendererDir: resolve(repoRoot, 'out/renderer'), port: 0 });
    closers.push(() => shell.close());
    const port = Number(new URL(shell.url).port);
    const open = (): Promise<Socket> =>
      new Promise((ok, fail) => {
        const s = connect(port, '127.0.0.1', () => ok(s));
        s.on('error', fail);
      });
    const answer = (s: Socket, request: string) =>
      new Promise<string>((ok) => {
        let text = '';
        s.on('data', (d: Buffer) => (text += d.toString('latin1')));
        s.on('close', () => ok(text));
        s.on('error', () => undefined);
        s.write(request);
      });
    const get = `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`;

    // A stalled client: headers never end. It is cut off with 408, no later than the timeout allows.
    const stalled = await open();
    const started = Date.now();
    const stalledAnswer = await answer(stalled, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
    expect(stalledAnswer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(UI_SERVER_LIMITS.headersTimeoutMs - 1000);

    // At the cap, one more connection is closed unanswered; below it, requests are served.
    const held: Socket[] = [];
    for (let i = 0; i < UI_SERVER_LIMITS.maxConnections; i++) held.push(await open());
    const over = await open().catch(() => undefined);
    expect(over ? await answer(over, get) : '').toBe('');
    for (const s of held.splice(0)) s.destroy();
    // The server notices the closes as they arrive: retry until one is served (bounded).
    let served = '';
    for (let tries = 0; tries < 50 && !served.startsWith('HTTP/1.1 200'); tries++) {
      served = await answer(await open(), get);
    }
    expect(served).toMatch(/^HTTP\/1\.1 200/);
  }, 60_000);
});

/** Permission bits of a path, as `stat` reports them. */
const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('private files (issue 16)', () => {
  it('data dir 0700; database, -wal, -shm, key file and backups 0600, and older looser ones tightened', async () => {
    const root = mkdtempSync(join(tmpdir(), 'patchbay-modes-'));
    dirs.push(root);
    const dataDir = join(root, 'nested', 'data');
    const m = ServerManager.open({ dataDir, home: root });
    managers.push(m);
    const s = await m.create({ name: 'moded', command: process.execPath, args: [FIXTURE] });
    await m.start(s.id); // writes go through the WAL
    expect(modeOf(dataDir)).toBe('700');
    for (const f of ['patchbay.db', 'patchbay.db-wal', 'patchbay.db-shm', 'secret.key'])
      expect(modeOf(join(dataDir, f)), f).toBe('600');

    // What an earlier version left: a 0755 dir and 0644 files.
    const old = join(root, 'old');
    mkdirSync(old, { mode: 0o755 });
    chmodSync(old, 0o755);
    openDatabase(join(old, 'patchbay.db')).close();
    for (const f of readdirSync(old)) chmodSync(join(old, f), 0o644);
    chmodSync(old, 0o755);
    const db = openDatabase(join(old, 'patchbay.db'));
    expect(modeOf(old)).toBe('700');
    for (const f of readdirSync(old)) expect(modeOf(join(old, f)), f).toBe('600');
    db.close();

    // A damaged database is kept, and so is its copy: both owner-only.
    const broken = join(root, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'patchbay.db'), 'not a database at all, just some text '.repeat(200));
    expect(() => openDatabase(join(broken, 'patchbay.db'))).toThrow(/a copy is at/);
    const copies = readdirSync(broken).filter((f) => f.includes('.broken-'));
    expect(copies).toHaveLength(1);
    expect(modeOf(join(broken, copies[0]!))).toBe('600');
  });

  it('client config files and folders Patchbay creates are 0600 / 0700; existing files keep their mode', async () => {
    const home = mkdtempSync(join(tmpdir(), 'patchbay-home-'));
    dirs.push(home);
    const m = ServerManager.open({ dataDir: join(home, 'data'), home });
    managers.push(m);
    const s = await m.create({ name: 'written', command: process.execPath, args: [FIXTURE] });
    const created = await m.addToClient(s.id, 'cursor');
    expect(modeOf(created.path)).toBe('600');
    expect(modeOf(join(home, '.cursor'))).toBe('700');
    // Claude Code's file exists already, shared on purpose: its mode stays, backup alike.
    const existing = join(home, '.claude.json');
    writeFileSync(existing, '{"theme":"dark"}\n');
    chmodSync(existing, 0o644);
    const written = await m.addToClient(s.id, 'claude-code');
    expect(written.path).toBe(existing);
    expect(modeOf(existing)).toBe('644');
    expect(modeOf(`${existing}.patchbay-backup`)).toBe('644');
    expect(readFileSync(existing, 'utf8')).toContain('written');
  });
});

describe('crash cleanup (issue 16)', () => {
  it('kills a recorded pid only when its start time still matches (pids are reused)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchbay-ledger-'));
    dirs.push(dir);
    // Two live processes running the very command the ledger names, as a reused pid would.
    const spawnIdle = () => {
      const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
        stdio: 'ignore',
        detached: true,
      });
      closers.push(() => {
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      });
      return c.pid!;
    };
    const reused = spawnIdle();
    const ours = spawnIdle();
    await until(
      () => processStartMark(reused) !== undefined && processStartMark(ours) !== undefined,
      5000,
      'both up',
    );
    const db = openDatabase(join(dir, 'patchbay.db'));
    const insert = db.prepare(
      'INSERT INTO child_processes (pid, command, started_at, start_mark) VALUES (?, ?, ?, ?)',
    );
    insert.run(reused, process.execPath, Date.now(), `${processStartMark(reused)}0`); // another start
    insert.run(ours, process.execPath, Date.now(), processStartMark(ours));
    const legacyRow = spawnIdle(); // recorded by an older version: no start time, never killed
    insert.run(legacyRow, process.execPath, Date.now(), null);
    const killed = new ChildLedger(db).reapLeftovers();
    expect(killed).toEqual([ours]);
    await until(() => processStartMark(ours) === undefined, 5000, 'ours to be gone');
    expect(processStartMark(reused)).toBeDefined();
    expect(processStartMark(legacyRow)).toBeDefined();
    db.close();
  });
});

describe('import (issue 16)', () => {
  it('never sets autostart: an imported server starts only when the user presses Start', async () => {
    const root = mkdtempSync(join(tmpdir(), 'patchbay-import-'));
    dirs.push(root);
    const source = ServerManager.open({ dataDir: join(root, 'a'), home: root });
    managers.push(source);
    await source.create({ name: 'eager', command: process.execPath, args: [FIXTURE], autostart: true });
    const exported = source.exportJson();
    expect(exported).toContain('"autostart": true');

    const dataDir = join(root, 'b');
    const first = ServerManager.open({ dataDir, home: root });
    const [imported] = await first.importJson(exported);
    expect(imported!.autostart).toBe(false);
    await first.shutdown();
    const next = ServerManager.open({ dataDir, home: root }); // the next launch
    managers.push(next);
    const restored = await next.restore();
    expect(restored.filter((s) => s.state.status === 'running')).toEqual([]);
    expect(next.status(imported!.id).state.status).not.toBe('running');
  });
});
