import { ErrorCode, PatchbayError, toPatchbayError } from '../errors';
import { type RestartPolicy, restartDelay } from './restart-policy';
import { type ProcessExit, type StdioProcess, describeExit } from './stdio-process';

/** The lifecycle of one kept-alive process, as the UI shows it. */
export type SlotState =
  | { status: 'stopped' }
  | { status: 'starting' }
  | { status: 'running'; pid: number; since: number }
  | { status: 'stopping' }
  /** Active, but holding no process by choice (a warm spare paused at the process cap). */
  | { status: 'standby' }
  | {
      status: 'crashed';
      reason: string;
      exit?: ProcessExit;
      /** When the next start is due (epoch ms); absent when restarts are off. */
      restartAt?: number;
      /** Consecutive crashes without a stable run. */
      attempt: number;
    };

/**
 * Keeps one process alive: starts it, restarts it with backoff when it crashes, and
 * stops it. Used for the shared-mode process, the stateless process and the
 * isolated-mode warm spare (which sessions `take()`).
 */
export class ProcessSlot {
  onState: (state: SlotState) => void = () => {};
  /** A new process is up: wire its handlers before anyone sends to it. */
  onProcess: (proc: StdioProcess) => void = () => {};

  private stateValue: SlotState = { status: 'stopped' };
  private proc: StdioProcess | undefined;
  private attempt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private active = false;
  private paused = false;
  private waiters: { resolve: (p: StdioProcess) => void; reject: (e: PatchbayError) => void }[] = [];

  constructor(
    private readonly spawnProcess: () => Promise<StdioProcess>,
    private readonly policy: RestartPolicy,
  ) {}

  get state(): SlotState {
    return this.stateValue;
  }

  /** The running process, if there is one. */
  get current(): StdioProcess | undefined {
    return this.stateValue.status === 'running' ? this.proc : undefined;
  }

  /** Starts keeping a process alive. */
  start(): void {
    // Crashed with restarts off (or waiting for one): a start is a fresh attempt now.
    if (this.active && this.stateValue.status !== 'crashed') return;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.active = true;
    this.attempt = 0;
    void this.launch();
  }

  /** Waits for the running process; fails at once when the slot is crashed or stopped. */
  ready(): Promise<StdioProcess> {
    const s = this.stateValue;
    if (s.status === 'running' && this.proc) return Promise.resolve(this.proc);
    if (s.status === 'starting') {
      return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
    }
    return Promise.reject(this.unavailable());
  }

  /** Hands the running process over to the caller and starts a replacement (the warm spare). */
  async take(): Promise<StdioProcess> {
    for (;;) {
      if (!this.active) throw this.unavailable();
      // Paused with nothing ready: this caller still gets a process of its own.
      if (this.stateValue.status === 'standby') void this.launch(true);
      const proc = await this.ready();
      if (this.proc !== proc) continue; // another caller took it first
      this.proc = undefined;
      void this.launch();
      return proc;
    }
  }

  /** Stops spawning replacements (e.g. at the process cap); a process already up stays. */
  pause(): void {
    this.paused = true;
  }

  /** Spawns again after a pause, if nothing is up. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.active && this.stateValue.status === 'standby') void this.launch();
  }

  /** Stops the process (stdin close → SIGTERM → SIGKILL) and keeps it stopped. */
  async stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const proc = this.proc;
    this.proc = undefined;
    this.rejectWaiters(new PatchbayError(ErrorCode.NotRunning, 'The server was stopped'));
    if (proc) {
      this.setState({ status: 'stopping' });
      await proc.stop();
    }
    this.setState({ status: 'stopped' });
  }

  private async launch(force = false): Promise<void> {
    this.restartTimer = undefined;
    if (!this.active) return;
    if (this.paused && !force) {
      this.setState({ status: 'standby' });
      return;
    }
    this.setState({ status: 'starting' });
    let proc: StdioProcess;
    try {
      proc = await this.spawnProcess();
    } catch (err) {
      this.crashed(toPatchbayError(err, ErrorCode.SpawnFailed).message, undefined, 0);
      return;
    }
    if (!this.active) {
      await proc.stop();
      return;
    }
    this.proc = proc;
    this.onProcess(proc);
    void proc.whenExited().then((exit) => {
      if (this.proc !== proc) return; // taken, or replaced: no longer ours to watch
      this.proc = undefined;
      if (this.active) this.crashed(describeExit(exit), exit, exit.at - proc.startedAt);
    });
    this.setState({ status: 'running', pid: proc.pid, since: proc.startedAt });
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve(proc);
  }

  private crashed(reason: string, exit: ProcessExit | undefined, uptimeMs: number): void {
    if (uptimeMs >= this.policy.stableAfterMs) this.attempt = 0;
    const state: SlotState = { status: 'crashed', reason, attempt: this.attempt + 1 };
    if (exit) state.exit = exit;
    if (this.policy.enabled && this.active) {
      const delay = restartDelay(this.policy, this.attempt);
      state.restartAt = Date.now() + delay;
      this.restartTimer = setTimeout(() => void this.launch(), delay);
    }
    this.attempt++;
    this.setState(state);
    this.rejectWaiters(this.unavailable());
  }

  private unavailable(): PatchbayError {
    const s = this.stateValue;
    if (s.status === 'crashed') {
      const retry = s.restartAt
        ? ` Restarting in ${Math.max(0, Math.ceil((s.restartAt - Date.now()) / 1000))} s.`
        : '';
      return new PatchbayError(ErrorCode.NotRunning, `${s.reason}.${retry}`);
    }
    return new PatchbayError(ErrorCode.NotRunning, `The server is ${s.status}`);
  }

  private rejectWaiters(err: PatchbayError): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(err);
  }

  private setState(state: SlotState): void {
    this.stateValue = state;
    this.onState(state);
  }
}
