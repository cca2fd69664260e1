import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { repoRoot } from '../paths';

/** The built Electron main process (what `electron .` runs: package.json `main`). */
export const builtMain = resolve(repoRoot, 'out/main/index.js');
const register = resolve(import.meta.dirname, 'register.mjs');

/** One thing the app did, as the stand-in `electron` module reported it. */
export interface ShellEvent {
  type: string;
  [key: string]: unknown;
}

/** The built main process running under plain Node with the recording `electron` stand-in. */
export class StandInApp {
  readonly events: ShellEvent[] = [];
  readonly child: ChildProcess;
  private output = '';
  private nextRef = 1;
  private readonly exit: Promise<[number | null, NodeJS.Signals | null]>;

  constructor(userData: string, env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, ['--import', register, builtMain], {
      cwd: repoRoot,
      env: { ...process.env, ...env, PATCHBAY_STAND_IN_USER_DATA: userData },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => (this.output += s));
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => (this.output += s));
    this.child.on('message', (m: ShellEvent) => this.events.push(m));
    this.exit = once(this.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  }

  /** What the process printed (for failure messages). */
  get printed(): string {
    return this.output;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Resolves with the first event of `type` that matches, or fails with what the app printed. */
  async waitFor(
    type: string,
    match: (e: ShellEvent) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<ShellEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.type === type && match(e));
      if (found) return found;
      if (this.exited || Date.now() > deadline) {
        const why = this.exited
          ? `the app exited (${this.child.exitCode ?? this.child.signalCode})`
          : 'timed out';
        throw new Error(`no '${type}' event: ${why}. Output:\n${this.output}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Calls an IPC handler as the window's page would (its frame URL unless one is given). */
  async invoke(channel: string, args: unknown[], frameUrl?: string): Promise<unknown> {
    const ref = this.nextRef++;
    this.child.send({ cmd: 'invoke', channel, args, ref, ...(frameUrl ? { frameUrl } : {}) });
    const reply = await this.waitFor('invoke-result', (e) => e['ref'] === ref);
    if (typeof reply['error'] === 'string') throw new Error(reply['error']);
    return reply['result'];
  }

  command(cmd: string, extra: Record<string, unknown> = {}): void {
    this.child.send({ cmd, ...extra });
  }

  /** Resolves with the exit code once the process is gone. */
  async whenExited(): Promise<number | null> {
    const [code] = await this.exit;
    return code;
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
