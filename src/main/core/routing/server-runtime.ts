import { randomBytes } from 'node:crypto';
import type { ServerState } from '@shared/status';
import { EventEmitter } from 'node:events';
import { ErrorCode, PatchbayError } from '../errors';
import { FrameTap } from '../inspect/frame-tap';
import type { JsonRpcRequest } from '../jsonrpc/message';
import { ProcessSlot, type SlotState } from '../stdio/process-slot';
import { DEFAULT_RESTART_POLICY, type RestartPolicy } from '../stdio/restart-policy';
import { StderrLog } from '../stdio/stderr-log';
import {
  type NoiseReason,
  type ProcessExit,
  type StdioCommand,
  type StdioLimits,
  StdioProcess,
  describeExit,
} from '../stdio/stdio-process';
import { LegacyBridge } from './bridge/legacy-bridge';
import { type IsolatedHost, IsolatedSession } from './isolated-session';
import { type ProtocolSupport, STATELESS_REVISION, probeProtocol } from './protocol-probe';
import type { EngineSession, SessionEnd, SessionEndReason, SessionSink } from './session';
import type { SessionBase } from './session-base';
import { SharedMux } from './shared-mux';
import { SharedSession } from './shared-session';
import { type CallSink, type StatelessCall, StatelessMux } from './stateless-mux';

export type RoutingMode = 'isolated' | 'shared';

/** One configured stdio server as the engine runs it. */
export interface ServerRuntimeConfig extends StdioCommand {
  /** Names the server in frames and logs. */
  id?: string;
  mode: RoutingMode;
  /**
   * Isolated mode: processes running at most, the warm spare included (default 16). It bounds
   * processes, not sessions: at the cap an idle session's process is reclaimed.
   */
  maxProcesses?: number;
  /** How long reviving a session waits for its new process to answer initialize (default 30 s). */
  reviveTimeoutMs?: number;
  /** Sessions with no request in flight and no client message for this long end (default 30 min). */
  idleTimeoutMs?: number;
  restart?: Partial<RestartPolicy>;
  limits?: Partial<StdioLimits>;
  /** How long the start-up protocol probe waits for each answer (default 30 s: `npx` may download). */
  probeTimeoutMs?: number;
  /** Bridge (MRTR): how long a legacy call held for client input waits for the retry (default 60 s). */
  inputWaitMs?: number;
}

export type { ServerState };

export interface ServerRuntimeEvents {
  state: [ServerState];
  'session-opened': [EngineSession];
  'session-closed': [EngineSession, SessionEnd];
  /** A session's initialize was answered: its client name, version and revision are known. */
  'session-initialized': [EngineSession];
  /** A process of this server ended without being asked to (isolated sessions included). */
  'process-crashed': [ProcessExit];
  /** A stdout line that is not a JSON-RPC message (banners, stray prints), kept for the inspector. */
  noise: [{ pid: number; text: string; reason: NoiseReason }];
}

const DEFAULT_IDLE_MS = 30 * 60_000;

/**
 * The engine for one server: keeps its processes (warm spare or shared process, plus a
 * stateless process when the server speaks 2026-07-28), opens and routes sessions,
 * expires idle ones, and reports state. No HTTP here: the endpoint sits on top.
 */
export class ServerRuntime extends EventEmitter<ServerRuntimeEvents> {
  readonly stderr = new StderrLog();
  /** Every frame on every leg of this server (the inspector's source). */
  readonly frames: FrameTap;
  private readonly sessions = new Map<string, SessionBase>();
  private readonly main: ProcessSlot;
  private readonly mux = new SharedMux();
  private readonly statelessMux = new StatelessMux();
  /** Modern requests for a server that speaks only the 2025 handshake. */
  private readonly bridge: LegacyBridge;
  private statelessSlot: ProcessSlot | undefined;
  private probe: Promise<ProtocolSupport> | undefined;
  private probeLearnedNothing = false;
  private stateValue: ServerState = { status: 'stopped', since: Date.now() };
  private processesInUse = 0;
  private requestsOfEnded = 0;
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly restart: RestartPolicy;
  private readonly isolatedHost: IsolatedHost;
  /** Session processes being stopped: each frees a slot of the cap when it has exited. */
  private readonly exiting = new Set<Promise<unknown>>();
  /** Crashed again within the stable window while restarting: "crashing" until a process stays up. */
  private unstable = false;
  private stableTimer: NodeJS.Timeout | undefined;

  constructor(readonly config: ServerRuntimeConfig) {
    super();
    this.frames = new FrameTap(config.id ?? config.command);
    this.stderr.redact = (text) => (this.frames.redactor.active ? this.frames.redactor.redact(text) : text);
    // Every note (reclaim, revival, eviction, lifecycle) is also a Patchbay line in Logs.
    this.frames.onNote = (_session, text) => this.stderr.note(text);
    this.restart = { ...DEFAULT_RESTART_POLICY, ...config.restart };
    this.main = new ProcessSlot(
      () => this.spawn(config.mode === 'shared' ? 'shared process' : 'warm spare'),
      this.restart,
    );
    this.main.onState = (s) => this.mainStateChanged(s);
    if (config.mode === 'shared') this.main.onProcess = (p) => this.mux.attachProcess(p);
    this.mux.slotState = () => this.main.state;
    this.isolatedHost = {
      acquire: () => this.acquireProcess(),
      frames: this.frames,
      reviveTimeoutMs: config.reviveTimeoutMs ?? 30_000,
      stopping: (exited) => {
        this.exiting.add(exited);
        void exited.finally(() => this.exiting.delete(exited));
      },
    };
    this.bridge = new LegacyBridge({
      open: (sink) => this.openSession(sink),
      note: (session, text) => this.frames.note(session, text),
      initTimeoutMs: config.reviveTimeoutMs ?? 30_000,
      inputWaitMs: config.inputWaitMs ?? 60_000,
      shared: config.mode === 'shared',
    });
  }

  get state(): ServerState {
    return this.stateValue;
  }

  get mode(): RoutingMode {
    return this.config.mode;
  }

  /** Sessions open now. */
  listSessions(): EngineSession[] {
    return [...this.sessions.values()];
  }

  getSession(id: string): EngineSession | undefined {
    return this.sessions.get(id);
  }

  /** Requests clients have sent since start, over every session (ended ones too). */
  get requestTotal(): number {
    let total = this.requestsOfEnded;
    for (const s of this.sessions.values()) total += s.requestCount;
    return total;
  }

  /** Starts the server; resolves once its first process is up, or has failed (see `state`). */
  async start(): Promise<ServerState> {
    if (this.stateValue.status !== 'stopped' && this.stateValue.status !== 'crashed') return this.stateValue;
    this.setState({ status: 'starting', since: Date.now() });
    this.main.start();
    // A start after a crash keeps what the probe learned, unless it learned nothing.
    if (!this.probe || this.probeLearnedNothing) {
      this.probeLearnedNothing = false;
      this.probe = this.runProbe().then((support) => {
        this.probeLearnedNothing = support.versions.length === 0;
        return support;
      });
    }
    this.startIdleSweep();
    if (this.state.status === 'starting') {
      await new Promise<void>((resolve) => {
        const check = (s: ServerState) => {
          if (s.status === 'starting') return;
          this.off('state', check);
          resolve();
        };
        this.on('state', check);
      });
    }
    return this.stateValue;
  }

  /** Takes new limits and restart policy while running: they apply from the next decision on. */
  reconfigure(next: Pick<ServerRuntimeConfig, 'maxProcesses' | 'idleTimeoutMs' | 'restart'>): void {
    if (next.maxProcesses !== undefined) {
      this.config.maxProcesses = next.maxProcesses;
      // A raised cap makes room for the warm spare again; a lowered one is met as processes are reclaimed.
      if (this.config.mode === 'isolated') {
        if (this.processesInUse < next.maxProcesses) this.main.resume();
        else this.main.pause();
      }
    }
    if (next.restart) Object.assign(this.restart, next.restart); // the slots hold this same object
    if (next.idleTimeoutMs !== undefined && next.idleTimeoutMs !== this.config.idleTimeoutMs) {
      this.config.idleTimeoutMs = next.idleTimeoutMs;
      if (this.sweepTimer) this.startIdleSweep();
    }
  }

  private startIdleSweep(): void {
    const idle = this.config.idleTimeoutMs ?? DEFAULT_IDLE_MS;
    clearInterval(this.sweepTimer);
    this.sweepTimer = setInterval(() => this.expireIdle(idle), Math.max(50, Math.min(idle / 2, 60_000)));
    this.sweepTimer.unref();
  }

  /** Ends every session, then stops every process (stdin close → SIGTERM → SIGKILL). */
  async stop(): Promise<void> {
    if (this.stateValue.status === 'stopped') return;
    clearInterval(this.sweepTimer);
    clearTimeout(this.stableTimer);
    this.unstable = false;
    this.setState({ status: 'stopping', since: Date.now() });
    const closing = [...this.sessions.values()].map((s) => s.close('server-stopped'));
    await Promise.all([...closing, this.main.stop(), this.statelessSlot?.stop()]);
    this.statelessSlot = undefined;
    const probe = this.probe;
    this.probe = undefined;
    await probe; // its throwaway process is stopped by then
    this.setState({ status: 'stopped', since: Date.now() });
  }

  /** Opens a client session; fails fast when the server is not running or is full. */
  async openSession(sink: SessionSink): Promise<EngineSession> {
    const status = this.stateValue.status;
    if (status === 'stopped' || status === 'stopping') {
      throw new PatchbayError(ErrorCode.NotRunning, `The server is ${status}`);
    }
    const id = randomBytes(18).toString('base64url');
    const onEnded = (s: SessionBase, end: SessionEnd) => this.sessionEnded(s, end);
    let session: SessionBase;
    if (this.config.mode === 'shared') {
      await this.main.ready();
      const shared = new SharedSession(id, this.mux, sink, onEnded);
      this.mux.add(shared);
      session = shared;
    } else {
      const proc = await this.acquireProcess();
      session = new IsolatedSession(id, proc, sink, onEnded, this.isolatedHost);
    }
    session.onInitialized = (s) => this.emit('session-initialized', s);
    this.sessions.set(id, session);
    this.emit('session-opened', session);
    return session;
  }

  /** What the server speaks (waits for the start-up probe). */
  protocolSupport(): Promise<ProtocolSupport> {
    return this.probe ?? Promise.reject(new PatchbayError(ErrorCode.NotRunning, 'The server is stopped'));
  }

  /** Argument → `Mcp-Param-*` header name for a tool listed through the bridge (SEP-2243). */
  toolParamHeaders(tool: string): ReadonlyMap<string, string> | undefined {
    return this.bridge.toolHeaders.get(tool);
  }

  /**
   * Sends a 2026-07-28 stateless request: forwarded when the server speaks it, bridged onto a
   * legacy session when it speaks only the 2025 handshake. Throws UnsupportedProtocolVersion
   * (with `{ supported, requested }` as its data) when nothing here serves the requested revision.
   */
  async statelessCall(msg: JsonRpcRequest, sink: CallSink): Promise<StatelessCall> {
    const support = await this.protocolSupport();
    if (!support.stateless && support.versions.length > 0) return this.bridge.call(msg, sink);
    const meta = msg.params?.['_meta'] as Record<string, unknown> | undefined;
    const claimed = meta?.['io.modelcontextprotocol/protocolVersion'];
    const requested = typeof claimed === 'string' ? claimed : STATELESS_REVISION;
    if (!support.stateless || !support.versions.includes(requested) || !this.statelessSlot) {
      throw new PatchbayError(
        ErrorCode.UnsupportedProtocolVersion,
        `Unsupported protocol version: ${requested}`,
        { data: { supported: support.versions, requested } },
      );
    }
    await this.statelessSlot.ready();
    return this.statelessMux.call(msg, sink);
  }

  /**
   * Isolated mode: a process for a session. At the cap, the least-recently-active idle
   * session's process is stopped first (that session stays, dormant); Full when every
   * process is busy. A process counts toward the cap until it has exited.
   */
  private async acquireProcess(): Promise<StdioProcess> {
    const cap = this.config.maxProcesses ?? 16;
    while (this.processesInUse >= cap) {
      // No new process can start (crashed, stopped): fail now rather than stop an idle one for nothing.
      const slot = this.main.state.status;
      if (slot === 'crashed' || slot === 'stopped' || slot === 'stopping') await this.main.ready();
      // A process already on its way out (its session closed or evicted) frees a slot: wait
      // for it rather than reclaim another.
      if (this.exiting.size > 0 && this.processesInUse - this.exiting.size < cap) {
        await Promise.race(this.exiting);
        continue;
      }
      const victim = this.reclaimable();
      if (!victim) {
        throw new PatchbayError(
          ErrorCode.Full,
          `All ${cap} processes of this server are busy (a request in flight or a stream open). Retry shortly, or raise the process limit.`,
        );
      }
      await victim.reclaim();
    }
    this.processesInUse++;
    // The spare counts toward the cap: stop making spares when the last slot is taken.
    if (this.processesInUse >= cap) this.main.pause();
    let proc: StdioProcess;
    try {
      proc = await this.main.take();
    } catch (err) {
      this.releaseProcess();
      throw err;
    }
    void proc.whenExited().then((exit) => {
      this.releaseProcess();
      if (!exit.requested) this.emit('process-crashed', exit);
    });
    return proc;
  }

  /** The least-recently-active isolated session holding a process with nothing in flight and no open stream. */
  private reclaimable(): IsolatedSession | undefined {
    let victim: IsolatedSession | undefined;
    for (const s of this.sessions.values()) {
      if (!(s instanceof IsolatedSession) || s.pid === undefined || !s.idle) continue;
      if (!victim || s.lastActivityAt < victim.lastActivityAt) victim = s;
    }
    return victim;
  }

  /** Spawns one process of this server; its spawn and exit are lifecycle lines (`what` says its role). */
  private async spawn(what: string): Promise<StdioProcess> {
    let proc: StdioProcess;
    try {
      proc = await StdioProcess.spawn(this.config, {
        stderrLog: this.stderr,
        ...(this.config.limits ? { limits: this.config.limits } : {}),
      });
    } catch (err) {
      this.frames.note(
        undefined,
        `Could not start the ${what}: ${err instanceof Error ? err.message : String(err)}`,
      );
      throw err;
    }
    this.frames.note(undefined, `Spawned pid ${proc.pid} (${what})`);
    proc.frameTap = this.frames;
    proc.onNoise = (text, reason) => this.emit('noise', { pid: proc.pid, text, reason });
    void proc.whenExited().then((exit) => this.frames.note(undefined, exitLine(exit)));
    return proc;
  }

  private async runProbe(): Promise<ProtocolSupport> {
    let proc: StdioProcess;
    try {
      proc = await this.spawn('start-up probe');
    } catch {
      return { stateless: false, versions: [] };
    }
    const support = await probeProtocol(proc, this.config.probeTimeoutMs ?? 30_000);
    this.frames.note(undefined, probeLine(support));
    if (!support.stateless || this.stateValue.status === 'stopping' || this.stateValue.status === 'stopped') {
      await proc.stop();
      return support;
    }
    // Keep the probed process: it becomes the stateless one, never given legacy traffic.
    let first: StdioProcess | undefined = proc;
    const slot = new ProcessSlot(() => {
      const p = first;
      first = undefined;
      return p ? Promise.resolve(p) : this.spawn('stateless process');
    }, this.restart);
    slot.onProcess = (p) => this.statelessMux.attachProcess(p);
    this.statelessSlot = slot;
    slot.start();
    return support;
  }

  private mainStateChanged(s: SlotState): void {
    if (this.stateValue.status === 'stopping' || this.stateValue.status === 'stopped') return;
    const unstable = this.unstable ? { unstable: true } : {};
    switch (s.status) {
      case 'starting':
        if (this.stateValue.status === 'crashed')
          this.setState({ status: 'starting', since: Date.now(), ...unstable });
        break;
      case 'running':
        this.frames.note(undefined, `Ready: pid ${s.pid} is up`);
        this.upAgain();
        break;
      case 'standby':
        this.upAgain();
        break;
      case 'crashed': {
        clearTimeout(this.stableTimer);
        // A second crash within the stable window while restarting: the server cannot stay up.
        this.unstable = s.attempt >= 2 && s.restartAt !== undefined;
        const state: ServerState = {
          status: 'crashed',
          since: Date.now(),
          reason: s.reason,
          attempt: s.attempt,
        };
        if (s.exit) state.exit = s.exit;
        if (s.restartAt !== undefined) state.restartAt = s.restartAt;
        if (this.unstable) state.unstable = true;
        this.frames.note(
          undefined,
          s.restartAt === undefined
            ? `Not restarting: restarts are off (crash ${s.attempt})`
            : `Restarting in ${formatDelay(s.restartAt - Date.now())} (crash ${s.attempt} in a row)`,
        );
        this.setState(state);
        if (s.exit) this.emit('process-crashed', s.exit);
        break;
      }
      default:
        break;
    }
  }

  /**
   * The main process is up (or standing by). After crashes in a row the server stays
   * "crashing" until it has stayed up for the stable window: no green flash on each retry.
   */
  private upAgain(): void {
    if (!this.unstable) {
      if (this.stateValue.status !== 'running') this.setState({ status: 'running', since: Date.now() });
      return;
    }
    if (this.stateValue.status !== 'running')
      this.setState({ status: 'running', since: Date.now(), unstable: true });
    clearTimeout(this.stableTimer);
    this.stableTimer = setTimeout(() => {
      if (this.stateValue.status !== 'running' || !this.unstable) return;
      this.unstable = false;
      this.frames.note(undefined, 'Stable again: no crash within the stable window');
      this.setState({ status: 'running', since: this.stateValue.since });
    }, this.restart.stableAfterMs);
    this.stableTimer.unref();
  }

  private sessionEnded(session: SessionBase, end: SessionEnd): void {
    if (!this.sessions.delete(session.id)) return;
    this.requestsOfEnded += session.requestCount;
    this.emit('session-closed', session, end);
  }

  private releaseProcess(): void {
    this.processesInUse--;
    if (this.processesInUse < (this.config.maxProcesses ?? 16)) this.main.resume();
  }

  private expireIdle(idleMs: number): void {
    const cutoff = Date.now() - idleMs;
    for (const s of this.sessions.values()) {
      if (s.pendingCount === 0 && s.lastActivityAt < cutoff) void s.close('idle' satisfies SessionEndReason);
    }
  }

  private setState(state: ServerState): void {
    this.stateValue = state;
    this.emit('state', state);
  }
}

/** "1 s", "500 ms": a backoff delay as people read it. */
function formatDelay(ms: number): string {
  const n = Math.max(0, ms);
  return n < 1000 ? `${Math.round(n)} ms` : `${Math.round(n / 100) / 10} s`;
}

/** A process's exit as a Logs line: code or signal, and its last stderr line on a crash. */
export function exitLine(exit: ProcessExit): string {
  if (exit.requested) {
    const how = exit.signal !== null ? `by ${exit.signal}` : `with code ${exit.code ?? 'unknown'}`;
    return `Stopped pid ${exit.pid} (as asked, ${how})`;
  }
  return `pid ${exit.pid}: ${describeExit(exit)}`;
}

/** What the start-up probe learned, as a Logs line. */
export function probeLine(support: ProtocolSupport): string {
  if (support.versions.length === 0)
    return 'Start-up probe: the server answered neither server/discover nor initialize';
  const speaks = support.versions.join(', ');
  return support.stateless
    ? `Start-up probe: speaks ${speaks}, stateless requests included (server/discover answered)`
    : `Start-up probe: speaks ${speaks} (initialize; no server/discover)`;
}
