import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE } from '../support/engine-client';
import { repoRoot } from '../support/paths';
import { isRunning, waitGone } from '../support/processes';

// Bundled inside node_modules so the host resolves better-sqlite3 like the app does.
const outDir = join(repoRoot, 'node_modules/.cache/patchbay-tests');
const host = join(outDir, 'manager-host.mjs');
let dataDir: string;
const hosts: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'patchbay-abrupt-'));
  await build({
    input: resolve(import.meta.dirname, '../fixtures/manager-host.ts'),
    platform: 'node',
    logLevel: 'warn',
    // Packages stay imports (as in the app's build); only our sources are bundled.
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('@shared'),
    resolve: { alias: { '@shared': resolve(repoRoot, 'src/shared') } },
    output: { file: host, format: 'esm' },
  });
});
afterAll(() => {
  for (const h of hosts) if (h.exitCode === null && h.signalCode === null) h.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Report {
  urls: [string, string][];
  pids: number[];
  reaped: number[];
}

async function runHost(
  mode: 'create' | 'restore',
): Promise<{ child: ChildProcessWithoutNullStreams; report: Report }> {
  const child = spawn(process.execPath, [host, dataDir, FIXTURE, mode], { stdio: ['pipe', 'pipe', 'pipe'] });
  hosts.push(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const lines = createInterface({ input: child.stdout });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [line] = (await Promise.race([once(lines, 'line'), once(child, 'exit')])) as [string];
  clearTimeout(timer);
  if (typeof line !== 'string') throw new Error(`host exited early: ${stderr}`);
  return { child, report: JSON.parse(line) as Report };
}

describe('a manager killed abruptly (SIGKILL)', () => {
  it('is restored on the same URLs by the next launch, and leaves no child of the first run alive', async () => {
    const first = await runHost('create');
    expect(first.report.urls.map(([name]) => name)).toEqual(['one', 'three', 'two']);
    expect(first.report.urls.every(([, url]) => /^http:\/\/127\.0\.0\.1:\d+\/mcp$/.test(url))).toBe(true);
    expect(first.report.pids.length).toBeGreaterThanOrEqual(3);

    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    // No handler ran: its servers are orphans now, still running.
    const orphans = first.report.pids.filter(isRunning);
    expect(orphans.length).toBeGreaterThanOrEqual(3);

    const second = await runHost('restore');
    expect(second.report.urls).toEqual(first.report.urls);
    // The warm spares outlive the dead parent; the relaunch kills them (others may exit on their own).
    expect(second.report.reaped.length).toBeGreaterThanOrEqual(3);
    expect(orphans).toEqual(expect.arrayContaining(second.report.reaped));
    expect(await waitGone(first.report.pids)).toEqual([]);
    expect(second.report.pids.some((p) => first.report.pids.includes(p))).toBe(false);

    // A normal stop of the second run (SIGTERM, no shell handler) leaves nothing either.
    second.child.kill('SIGTERM');
    await once(second.child, 'exit');
    expect(await waitGone(second.report.pids)).toEqual([]);
  }, 40_000);
});
