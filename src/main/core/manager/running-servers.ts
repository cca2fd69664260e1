import type { ServerConfig } from '@shared/server-config';
import type { ServerStatus, SessionInfo } from '@shared/status';
import { type ErrorCode, toPatchbayError } from '../errors';
import { assertSecretsOpen } from './config-views';
import { type Endpoint, startEndpoint } from '../http/endpoint-server';
import type { FrameBatch } from '../inspect/frame-tap';
import { ServerRuntime } from '../routing/server-runtime';
import { secretValues } from './config-views';
import { sessionInfo } from './session-info';

export type { ServerStatus };

/** Activity buckets: requests per `ACTIVITY_BUCKET_MS`, the last `ACTIVITY_BUCKETS` of them. */
export const ACTIVITY_BUCKET_MS = 10_000;
export const ACTIVITY_BUCKETS = 12;

interface Running {
  runtime: ServerRuntime;
  /** Requests per closed bucket, oldest first (the sidebar's sparkline); the status adds the open one. */
  activity: number[];
  requestsSeen: number;
  endpoint: Endpoint | undefined;
  error: { code: ErrorCode; message: string } | undefined;
  /** Stops writing its frames to the history. */
  unrecord?: () => void;
}

export interface RunningServersHooks {
  /** Something in a server's status changed. */
  changed(id: string): void;
  clientSeen(id: string, session: SessionInfo): void;
  /** Where frames go when history is on. */
  recordFrames(id: string, batch: FrameBatch): void;
}

/** The servers that run now: each a runtime with its endpoint on the server's own port. */
export class RunningServers {
  private readonly running = new Map<string, Running>();
  private activityTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly hooks: RunningServersHooks,
    private readonly activityBucketMs = ACTIVITY_BUCKET_MS,
  ) {}

  ids(): string[] {
    return [...this.running.keys()];
  }

  runtime(id: string): ServerRuntime | undefined {
    return this.running.get(id)?.runtime;
  }

  isUp(id: string): boolean {
    return this.running.get(id)?.endpoint !== undefined;
  }

  /** Binds the port first (a taken port fails before anything is spawned), then starts the server. */
  async start(config: ServerConfig, recordHistory: boolean): Promise<void> {
    if (this.isUp(config.id)) return;
    const runtime = this.createRuntime(config);
    const entry: Running = {
      runtime,
      activity: new Array<number>(ACTIVITY_BUCKETS).fill(0),
      requestsSeen: 0,
      endpoint: undefined,
      error: undefined,
    };
    this.running.set(config.id, entry);
    try {
      assertSecretsOpen(config, 'start'); // in its status too, for a restore that cannot start it
      entry.endpoint = await startEndpoint(runtime, {
        host: config.host,
        port: config.port,
        maxSessions: config.limits.maxSessions,
        maxBodyBytes: config.limits.maxBodyBytes,
        allowedOrigins: config.allowedOrigins,
        ...(config.token ? { token: config.token } : {}),
      });
    } catch (err) {
      const e = toPatchbayError(err);
      entry.error = { code: e.code, message: e.message };
      this.hooks.changed(config.id);
      throw e;
    }
    this.record(config.id, entry, recordHistory);
    this.activityTimer ??= setInterval(() => this.sampleActivity(), this.activityBucketMs).unref();
    await runtime.start();
    this.hooks.changed(config.id);
  }

  /** Applies what can change on a running server without a restart (see `restartReasons`). */
  reconfigure(config: ServerConfig): void {
    const entry = this.running.get(config.id);
    if (!entry) return;
    entry.endpoint?.reconfigure({
      maxSessions: config.limits.maxSessions,
      maxBodyBytes: config.limits.maxBodyBytes,
      allowedOrigins: config.allowedOrigins,
      token: config.token,
    });
    entry.runtime.reconfigure({
      maxProcesses: config.limits.maxProcesses,
      idleTimeoutMs: config.limits.idleTimeoutMs,
      restart: config.restart,
    });
    entry.runtime.frames.redactor.setSecrets(secretValues(config));
    this.hooks.changed(config.id);
  }

  async stop(id: string): Promise<void> {
    const entry = this.running.get(id);
    if (!entry) return;
    this.running.delete(id);
    if (this.running.size === 0) {
      clearInterval(this.activityTimer);
      this.activityTimer = undefined;
    }
    entry.unrecord?.();
    await entry.endpoint?.close();
    await entry.runtime.stop();
  }

  status(id: string): ServerStatus {
    const entry = this.running.get(id);
    const up = entry?.endpoint !== undefined;
    const status: ServerStatus = {
      id,
      state: up ? entry.runtime.state : { status: 'stopped', since: Date.now() },
      sessions: up ? entry.runtime.listSessions().map(sessionInfo) : [],
    };
    if (up) {
      status.url = entry.endpoint!.url;
      status.sseUrl = entry.endpoint!.sseUrl;
      // The open bucket counts too: a chart that waits for the bucket to close reads "peak 0" while traffic flows.
      status.activity = [...entry.activity.slice(1), entry.runtime.requestTotal - entry.requestsSeen];
    }
    if (entry?.error) status.error = entry.error;
    return status;
  }

  /** Ends one client session (its streams close; its next request gets 404). */
  async endSession(id: string, sessionId: string): Promise<boolean> {
    const session = this.running.get(id)?.runtime.getSession(sessionId);
    if (!session) return false;
    await session.close('ended');
    return true;
  }

  /** Closes the current activity bucket of every server; reports the servers whose picture moved. */
  private sampleActivity(): void {
    for (const [id, entry] of this.running) {
      const total = entry.runtime.requestTotal;
      const delta = total - entry.requestsSeen;
      entry.requestsSeen = total;
      const wasQuiet = entry.activity.every((n) => n === 0);
      entry.activity.push(delta);
      entry.activity.shift();
      if (!(wasQuiet && delta === 0)) this.hooks.changed(id);
    }
  }

  /** Turns frame history on or off for every running server. */
  recordHistory(enabled: boolean): void {
    for (const [id, entry] of this.running) this.record(id, entry, enabled);
  }

  private record(id: string, entry: Running, enabled: boolean): void {
    entry.unrecord?.();
    delete entry.unrecord;
    if (enabled)
      entry.unrecord = entry.runtime.frames.subscribe((batch) => this.hooks.recordFrames(id, batch));
  }

  private createRuntime(config: ServerConfig): ServerRuntime {
    const env: Record<string, string> = {};
    for (const e of config.env) env[e.key] = e.value ?? '';
    const runtime = new ServerRuntime({
      id: config.id,
      command: config.command,
      args: config.args,
      env,
      ...(config.cwd ? { cwd: config.cwd } : {}),
      mode: config.mode,
      maxProcesses: config.limits.maxProcesses,
      idleTimeoutMs: config.limits.idleTimeoutMs,
      restart: config.restart,
    });
    // Secret values must not show in frames or logs, even if the server echoes them.
    runtime.frames.redactor.setSecrets(secretValues(config));
    runtime.on('state', () => this.hooks.changed(config.id));
    runtime.on('session-opened', () => this.hooks.changed(config.id));
    runtime.on('session-closed', () => this.hooks.changed(config.id));
    runtime.on('session-initialized', (s) => {
      this.hooks.clientSeen(config.id, sessionInfo(s));
      // The status's session list now has the client's name and revision.
      this.hooks.changed(config.id);
    });
    return runtime;
  }
}
