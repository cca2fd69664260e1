import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { ProcessExit } from '@shared/status';
import { ErrorCode, PatchbayError } from '../errors';
import { type JsonRpcMessage, type MessageKind, messageKind } from '../jsonrpc/message';
import { trackChild, untrackChild } from './child-registry';
import { killProcessTree } from './kill-process-tree';
import { LineFramer } from './line-framer';
import { resolveCommand } from './resolve-command';
import { type StderrLog, StderrSplitter } from './stderr-log';
import type { FrameTap, RecordOptions } from '../inspect/frame-tap';
import type { JsonRpcMessage as Message } from '../jsonrpc/message';
import { spawnEnv } from './spawn-env';

/** What to run: one configured stdio MCP server. */
export interface StdioCommand {
  command: string;
  args: readonly string[];
  /** Added to (and overriding) the inherited environment. */
  env?: Readonly<Record<string, string>>;
  cwd?: string;
}

export interface StdioLimits {
  /** Longest stdout line accepted (default 32 MiB); longer ones are dropped as noise. */
  maxLineBytes: number;
  /** Bytes allowed to wait in stdin before sends are refused (backpressure bound). */
  maxStdinQueueBytes: number;
  /** Stop sequence: wait after closing stdin, then after SIGTERM, before SIGKILL. */
  stdinCloseGraceMs: number;
  sigtermGraceMs: number;
}

export const DEFAULT_STDIO_LIMITS: StdioLimits = {
  maxLineBytes: 32 * 1024 * 1024,
  maxStdinQueueBytes: 64 * 1024 * 1024,
  stdinCloseGraceMs: 2000,
  sigtermGraceMs: 3000,
};

export type { ProcessExit };

/** One line of human text for an exit ("exited with code 1: Error: …"). */
export function describeExit(exit: ProcessExit): string {
  const how =
    exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
  const last = exit.stderrTail[exit.stderrTail.length - 1];
  return last ? `MCP server ${how}: ${last}` : `MCP server ${how}`;
}

const OWN: RecordOptions = { own: true };

export type NoiseReason = 'not-json' | 'not-jsonrpc' | 'oversize';

/**
 * One running stdio MCP server process: newline-delimited JSON-RPC on stdin/stdout,
 * stderr into the server's log, stopped in steps for its whole process group.
 * Handlers are plain properties (not an EventEmitter) because they sit on the hot path.
 */
export class StdioProcess {
  onMessage: (msg: JsonRpcMessage, raw: string, kind: MessageKind) => void = () => {};
  onNoise: (text: string, reason: NoiseReason) => void = () => {};
  onExit: (exit: ProcessExit) => void = () => {};

  /** Where the stdio legs are recorded (the server's frame tap), if anywhere. */
  frameTap: FrameTap | undefined;
  /** The session this process serves alone (isolated mode), for the frames. */
  sessionId: string | undefined;
  /** Everything on this process's stdio is Patchbay's own while set (the start-up probe's process). */
  ownTraffic = false;
  readonly pid: number;
  readonly startedAt = Date.now();
  private exitInfo: ProcessExit | undefined;
  private stopRequested = false;
  private stopping: Promise<ProcessExit> | undefined;
  private readonly exited: Promise<ProcessExit>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly limits: StdioLimits,
    private readonly stderrLog: StderrLog | undefined,
    command: string,
  ) {
    this.pid = child.pid!;
    trackChild(this.pid, command);
    const framer = new LineFramer(
      limits.maxLineBytes,
      (line) => this.handleLine(line),
      (bytes) =>
        this.onNoise(`[dropped a ${bytes}-byte line over the ${limits.maxLineBytes}-byte limit]`, 'oversize'),
    );
    child.stdout.on('data', (chunk: Buffer) => framer.push(chunk));
    const stdoutEnded = new Promise<void>((resolve) => {
      child.stdout.once('end', () => {
        framer.end();
        resolve();
      });
      child.stdout.once('error', () => resolve());
    });
    const splitter = new StderrSplitter((line) => this.stderrLog?.append(this.pid, line));
    child.stderr.on('data', (chunk: Buffer) => splitter.push(chunk));
    const stderrEnded = new Promise<void>((resolve) => {
      child.stderr.once('end', () => {
        splitter.end();
        resolve();
      });
      child.stderr.once('error', () => resolve());
    });
    // EPIPE when the server dies mid-write: the exit handler reports it, nothing to throw.
    child.stdin.on('error', () => {});

    this.exited = new Promise<ProcessExit>((resolve) => {
      child.once('exit', (code, signal) => {
        untrackChild(this.pid);
        // Let buffered output arrive before reporting, but never wait on a
        // grandchild that still holds the pipes open.
        // Its last stderr lines name the crash, so wait for those too.
        const settle = setTimeout(finish, 100);
        void Promise.all([stdoutEnded, stderrEnded]).then(finish);
        let done = false;
        function finish(this: void) {
          if (done) return;
          done = true;
          clearTimeout(settle);
          resolve({ pid: child.pid!, code, signal, requested: false, stderrTail: [], at: Date.now() });
        }
      });
    }).then((exit) => {
      // A stopped leader can leave members of its group (npx → node): take them too.
      signalGroup(this.pid, 'SIGKILL');
      this.exitInfo = {
        ...exit,
        requested: this.stopRequested,
        stderrTail: this.stderrLog?.tail(5, this.pid) ?? [],
      };
      this.onExit(this.exitInfo);
      return this.exitInfo;
    });
  }

  /** Spawns the command; resolves once the OS started it, rejects with a clear SpawnFailed error. */
  static async spawn(
    cmd: StdioCommand,
    options: { limits?: Partial<StdioLimits>; stderrLog?: StderrLog } = {},
  ): Promise<StdioProcess> {
    const env = await spawnEnv(cmd.env);
    const resolved = resolveCommand(cmd.command, cmd.args, { env, ...(cmd.cwd ? { cwd: cmd.cwd } : {}) });
    const child = spawn(resolved.file, resolved.args, {
      cwd: cmd.cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Own process group on POSIX, so stop() reaches everything the server started.
      detached: process.platform !== 'win32',
      windowsHide: true,
      windowsVerbatimArguments: resolved.windowsVerbatimArguments ?? false,
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new PatchbayError(ErrorCode.SpawnFailed, `Could not start "${cmd.command}": ${err.message}`, {
            cause: err,
          }),
        ),
      );
    });
    return new StdioProcess(
      child,
      { ...DEFAULT_STDIO_LIMITS, ...options.limits },
      options.stderrLog,
      resolved.file,
    );
  }

  /** How it ended, once it has. */
  get exit(): ProcessExit | undefined {
    return this.exitInfo;
  }

  get alive(): boolean {
    return this.exitInfo === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when the process has exited (for any reason). */
  whenExited(): Promise<ProcessExit> {
    return this.exited;
  }

  /**
   * Writes one message line (`msg` when the caller parsed it; `opts.own` for Patchbay's own
   * requests, marked in the inspector). Throws when gone or not reading stdin.
   */
  send(raw: string, msg?: Message, opts?: RecordOptions): void {
    const stdin = this.child.stdin;
    if (!this.alive || !stdin.writable) {
      throw new PatchbayError(ErrorCode.ProcessExited, 'The MCP server process is not running');
    }
    if (stdin.writableLength > this.limits.maxStdinQueueBytes) {
      throw new PatchbayError(
        ErrorCode.Busy,
        `The MCP server is not reading its stdin (${Math.round(stdin.writableLength / 1048576)} MiB waiting)`,
      );
    }
    stdin.write(raw + '\n');
    this.frameTap?.record(
      'proxy→server',
      'stdio',
      this.sessionId,
      raw,
      msg,
      undefined,
      this.ownTraffic ? OWN : opts,
    );
  }

  /** Stops in steps: close stdin → wait → SIGTERM the group → wait → SIGKILL the group. */
  stop(): Promise<ProcessExit> {
    if (this.exitInfo) return Promise.resolve(this.exitInfo);
    this.stopping ??= this.runStop();
    return this.stopping;
  }

  private async runStop(): Promise<ProcessExit> {
    this.stopRequested = true;
    this.child.stdin.end();
    if (await this.exitsWithin(this.limits.stdinCloseGraceMs)) return this.exited;
    signalGroup(this.pid, 'SIGTERM');
    if (await this.exitsWithin(this.limits.sigtermGraceMs)) return this.exited;
    signalGroup(this.pid, 'SIGKILL');
    return this.exited;
  }

  private exitsWithin(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      void this.exited.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private handleLine(line: Buffer): void {
    const raw = line.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      this.noise(raw, 'not-json');
      return;
    }
    if (Array.isArray(value)) {
      // A batch from the server (allowed in 2025-03-26): route each message on its own.
      for (const item of value) this.handleValue(item, JSON.stringify(item));
      return;
    }
    this.handleValue(value, raw);
  }

  private handleValue(value: unknown, raw: string): void {
    const kind = messageKind(value);
    if (kind === undefined) {
      this.noise(raw, 'not-jsonrpc');
      return;
    }
    this.frameTap?.record(
      'server→proxy',
      'stdio',
      this.sessionId,
      raw,
      value as JsonRpcMessage,
      undefined,
      this.ownTraffic ? OWN : undefined,
    );
    this.onMessage(value as JsonRpcMessage, raw, kind);
  }

  private noise(text: string, reason: NoiseReason): void {
    this.frameTap?.record(
      'server→proxy',
      'stdio',
      this.sessionId,
      text,
      undefined,
      'noise',
      this.ownTraffic ? OWN : undefined,
    );
    this.onNoise(text, reason);
  }
}

/** Signals a process group; a failure to signal (already gone, EPERM) must not break a stop. */
function signalGroup(pid: number, signal: 'SIGTERM' | 'SIGKILL'): void {
  try {
    killProcessTree(pid, signal);
  } catch {
    // The exit handler or the next escalation step reports what is still wrong.
  }
}
