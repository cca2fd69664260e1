import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'rolldown';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE } from '../support/engine-client';
import { isRunning, waitGone } from '../support/processes';

const HOST_SOURCE = resolve(import.meta.dirname, '../fixtures/engine-host.ts');
let dir: string;
let hostScript: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'patchbay-host-'));
  hostScript = join(dir, 'engine-host.mjs');
  await build({
    input: HOST_SOURCE,
    platform: 'node',
    logLevel: 'warn',
    output: { file: hostScript, format: 'esm' },
  });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Host {
  child: ChildProcessWithoutNullStreams;
  /** Every process the engine started for the host, its grandchild included. */
  pids: number[];
  /** Later stdout lines, parsed. */
  lines: unknown[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

const started: Host[] = [];
afterEach(() => {
  // A failed test must not leave its processes to the next one.
  for (const host of started.splice(0)) {
    for (const pid of [host.child.pid!, ...host.pids]) {
      try {
        if (isRunning(pid)) process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
});

/** Starts the bundled host and resolves once it has printed its children's pids. */
async function startHost(mode: 'signal' | 'exit-on-stdin' | 'graceful'): Promise<Host> {
  const child = spawn(process.execPath, [hostScript, FIXTURE, mode], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const host: Host = { child, pids: [], lines: [], exited, stderr: () => stderr };
  started.push(host);
  const first = new Promise<string>((resolve, reject) => {
    let seenPids = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (seenPids) host.lines.push(JSON.parse(line));
      else resolve(line);
      seenPids = true;
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`host exited early (${code ?? signal}): ${stderr}`)),
    );
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`host printed no pids: ${stderr}`)), 4000).unref(),
  );
  const { pids } = JSON.parse(await Promise.race([first, timeout])) as { pids: number[] };
  host.pids = pids;
  return host;
}

/** Resolves with how the host ended, or rejects if it does not within `ms`. */
function exitOf(host: Host, ms = 3000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`host did not exit: ${host.stderr()}`)), ms).unref(),
  );
  return Promise.race([host.exited, timeout]);
}

/** Two sessions' processes, the warm spare and the grandchild, at least, all running. */
function expectChildrenUp(host: Host): void {
  expect(host.pids.length).toBeGreaterThanOrEqual(4);
  expect(host.pids.filter((pid) => !isRunning(pid))).toEqual([]);
  expect(host.pids).not.toContain(host.child.pid);
}

describe('nothing is orphaned when our own process goes', { timeout: 5000 }, () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s with no handler of ours, every child and grandchild is killed',
    async (signal) => {
      const host = await startHost('signal');
      expectChildrenUp(host);
      host.child.kill(signal);
      // Ended the way the signal ends a process: the hook re-raises it after cleaning up.
      expect(await exitOf(host)).toEqual({ code: null, signal });
      expect(await waitGone(host.pids, 3000)).toEqual([]);
    },
  );

  it('on process.exit(), the exit hook kills every child and grandchild', async () => {
    const host = await startHost('exit-on-stdin');
    expectChildrenUp(host);
    host.child.stdin.write('exit\n');
    expect(await exitOf(host)).toEqual({ code: 0, signal: null });
    expect(await waitGone(host.pids, 3000)).toEqual([]);
  });

  it('when the host handles SIGTERM itself, its graceful stop leaves nothing behind', async () => {
    const host = await startHost('graceful');
    expectChildrenUp(host);
    host.child.kill('SIGTERM');
    // The host's own handler ran to the end: the hook did not kill it first.
    expect(await exitOf(host)).toEqual({ code: 0, signal: null });
    // The safety net stood aside (the children were still tracked when the handler ran), and
    // the stop itself ended them all: nothing was left for the exit hook.
    expect(host.lines).toHaveLength(1);
    const report = host.lines[0] as { stopped: boolean; atSignal: number[]; live: number[] };
    expect(report.stopped).toBe(true);
    expect(report.atSignal.length).toBeGreaterThanOrEqual(3);
    expect(host.pids).toEqual(expect.arrayContaining(report.atSignal));
    expect(report.live).toEqual([]);
    expect(await waitGone(host.pids, 3000)).toEqual([]);
  });
});
