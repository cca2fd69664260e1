import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, type PatchbayError } from '../../src/main/core/errors';
import { ServerManager } from '../../src/main/core/manager/server-manager';
import { startCli } from '../support/cli-process';
import { FIXTURE } from '../support/engine-client';
import { http1 } from '../support/http-wire';
import { waitGone } from '../support/processes';
import { descendants, processesMatching } from '../support/proc-stats';
import { repoRoot } from '../support/paths';

// Issue 10, Faults at start: a port already in use, a database locked or corrupt. The
// plain cases are covered in test/integration: cli-run.test.ts "names the port when it is
// taken", manager.test.ts "says which port is taken at start, and never moves to another
// one", store.test.ts "refuses a file that is not a database, leaving it untouched with a
// backup copy". What our own process being SIGKILLed leaves behind is covered by
// manager-abrupt-kill.test.ts (the child ledger: the next launch reaps every child of the
// killed run) and own-process-signals.test.ts (exit hook and signal handlers; each server
// runs in its own process group, stopped as a group).

const dirs: string[] = [];
const managers: ServerManager[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.shutdown();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'patchbay-startup-'));
  dirs.push(d);
  return d;
}

async function echo(url: string, text: string): Promise<string> {
  const client = new Client({ name: 'startup-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    const r = await client.callTool({ name: 'echo', arguments: { text } });
    return (r.content as { text: string }[])[0]!.text;
  } finally {
    await client.close();
  }
}

/** Another program on a port: answers every request with its own name. */
async function squatter(port = 0): Promise<{ port: number }> {
  const s = createServer((_req, res) => res.end('squatter'));
  servers.push(s);
  await new Promise<void>((r) => s.listen(port, '127.0.0.1', r));
  return { port: (s.address() as { port: number }).port };
}

describe('a port already in use at start', () => {
  it('the manager: a clear error for that server; the running one, the other program and our children unaffected', async () => {
    const m = ServerManager.open({ dataDir: dataDir(), shutdownTimeoutMs: 3000 });
    managers.push(m);
    const a = await m.create({ name: 'running', command: process.execPath, args: [FIXTURE] });
    const b = await m.create({ name: 'blocked', command: process.execPath, args: [FIXTURE] });
    await m.start(a.id);
    const urlA = m.connectUrls(a.id).url;
    expect(await echo(urlA, 'before')).toBe('before');
    await m.stop(b.id);
    await squatter(b.port);
    const children = descendants().length;

    const err = (await m.start(b.id).catch((e: unknown) => e)) as PatchbayError;
    expect(err.code).toBe(ErrorCode.PortInUse);
    expect(err.message).toMatch(new RegExp(`Port ${b.port} is used by another program`));
    expect(m.status(b.id)).toMatchObject({ state: { status: 'stopped' }, error: { code: 'port_in_use' } });
    // Nothing was spawned for it, the other program still owns its port, A still serves.
    expect(descendants().length).toBe(children);
    expect((await http1(b.port, { path: '/' })).body).toBe('squatter');
    expect(await echo(urlA, 'after')).toBe('after');
    expect(m.status(a.id).state.status).toBe('running');
  });

  it('patchbay run: exits 1 naming the port, and leaves no server process behind', async () => {
    const { port } = await squatter();
    const tag = `--tag=port-in-use-${process.pid}-${Date.now()}`;
    // Its own data dir: a fixed port keeps its key there.
    const keys = mkdtempSync(join(tmpdir(), 'patchbay-run-keys-'));
    const cli = await startCli(
      ['run', '--port', String(port), '--data-dir', keys, '--', process.execPath, FIXTURE, tag],
      /./,
    );
    expect(await cli.exited()).toBe(1);
    rmSync(keys, { recursive: true, force: true });
    expect(cli.output()).toContain(`Port ${port} is used by another program`);
    expect(await waitGone(processesMatching(tag), 3000)).toEqual([]);
    expect((await http1(port, { path: '/' })).body).toBe('squatter');
  });
});

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the database at open', () => {
  it('locked by another process: a clear error naming the file after the busy timeout, the file untouched, a copy kept; opens once released', async () => {
    const dir = dataDir();
    const first = ServerManager.open({ dataDir: dir });
    await first.create({ name: 'kept', command: 'node', args: ['server.js'] });
    await first.shutdown();
    const file = join(dir, 'patchbay.db');
    const before = sha(file);

    // Another process holds an exclusive lock (another Patchbay, a backup tool, sqlite3).
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(file)});
         db.pragma('locking_mode = EXCLUSIVE'); db.exec('BEGIN EXCLUSIVE'); console.log('locked');
         process.stdin.once('data', () => process.exit(0));`,
      ],
      { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const exited = new Promise((r) => holder.once('exit', r));
    try {
      await new Promise((r) => holder.stdout.once('data', r));
      const started = Date.now();
      let error: PatchbayError | undefined;
      try {
        managers.push(ServerManager.open({ dataDir: dir }));
      } catch (e) {
        error = e as PatchbayError;
      }
      const waited = Date.now() - started;
      expect(error?.name).toBe('PatchbayError');
      expect(error?.message).toMatch(/Cannot open the database .*patchbay\.db: database is locked/);
      expect(error?.message).toMatch(/left as it is; a copy is at/);
      expect(waited).toBeLessThan(10_000);
      expect(sha(file)).toBe(before);
      expect(readdirSync(dir).some((f) => f.startsWith('patchbay.db.broken-'))).toBe(true);
      console.log(`[db locked] refused after ${waited} ms: ${error?.message}`);
    } finally {
      holder.stdin.write('done\n');
      await exited;
    }
    const again = ServerManager.open({ dataDir: dir });
    managers.push(again);
    expect(again.list().map((s) => s.name)).toEqual(['kept']);
  });

  // A valid SQLite header can hide damaged pages; openDatabase runs a quick_check so this
  // is caught at open with the file named and a copy kept, not on some later query.
  it('corrupt pages behind a valid header: a clear PatchbayError naming the file, and a copy kept', async () => {
    const dir = dataDir();
    const first = ServerManager.open({ dataDir: dir });
    for (let i = 0; i < 30; i++)
      await first.create({ name: `s${i}`, command: 'node', args: ['x'.repeat(500)] });
    await first.shutdown();
    const file = join(dir, 'patchbay.db');
    const bytes = readFileSync(file);
    for (let i = 4096; i < bytes.length; i += 97) bytes[i] = 0x5a;
    writeFileSync(file, bytes);
    const before = sha(file);
    let error: Error | undefined;
    try {
      managers.push(ServerManager.open({ dataDir: dir }));
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('PatchbayError');
    expect(error?.message).toContain(file);
    expect(sha(file)).toBe(before);
    expect(readdirSync(dir).some((f) => f.startsWith('patchbay.db.broken-'))).toBe(true);
  });
});
