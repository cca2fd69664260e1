import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBin, repoRoot, requireBuild } from './paths';

export interface RunningCli {
  child: ChildProcess;
  /** Everything printed so far on stdout and stderr. */
  output(): string;
  /** Sends a signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code of a process that ends by itself (no signal sent). */
  exited(): Promise<number | null>;
}

/** Starts `patchbay <args>` with `node` (the test runner's) and waits until `ready` matches its output. */
export async function startCli(
  args: string[],
  ready: RegExp,
  options: { node?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningCli & { match: RegExpMatchArray }> {
  requireBuild();
  const child = spawn(options.node ?? process.execPath, [cliBin, ...args], {
    cwd: repoRoot,
    ...(options.env ? { env: options.env } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
  // 'exit' can come before the last printed lines are read: tests read output() once the
  // process is gone, so wait for its pipes to close too (bounded: a grandchild that kept them
  // open must not hang the test).
  const exitEvent = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const closed = once(child, 'close');
  const exited = exitEvent.then(async (result) => {
    // Not a sleep: resolves on 'close'; the 2 s only caps a grandchild holding the pipes.
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2000).unref())]);
    return result;
  });

  const running: RunningCli = {
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const [code] = await exited;
      return code;
    },
    async exited() {
      const [code] = await exited;
      return code;
    },
  };

  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    const match = out.match(ready);
    if (match) return { ...running, match };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  await running.stop('SIGKILL');
  throw new Error(`patchbay ${args.join(' ')} did not print ${ready} in time. Output:\n${out}`);
}

/** A fresh data dir, so `patchbay serve` in tests never touches the user's own. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'patchbay-data-'));
}
