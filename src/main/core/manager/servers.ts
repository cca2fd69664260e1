import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { ServerConfig, ServerConfigView, ServerInput } from '@shared/server-config';
import { ErrorCode, PatchbayError } from '../errors';
import { findFreePort } from '../ports';
import type { ServerRuntime } from '../routing/server-runtime';
import type { ServerStore } from '../store/server-store';
import { mergeSecrets, toView } from './config-views';
import type { ManagerEvents } from './manager-events';
import type { RunningServers, ServerStatus } from './running-servers';
import { assertNameFree, assertPortUsable, nameTaken, validSettings, withKeyChoice } from './server-checks';
import { restartQuestion, restartReasons } from './settings-change';

/**
 * The servers domain: the stored list (create, edit, delete, copy) and each server's life
 * (start on its own stable port, stop, restart, restore on launch), with its status.
 */
export class Servers {
  /** Ports of Patchbay's own listeners → who holds them (named in the refusal). */
  private readonly reservedPorts = new Map<number, string>();

  constructor(
    private readonly store: ServerStore,
    private readonly running: RunningServers,
    private readonly events: EventEmitter<ManagerEvents>,
    /** Whether a server that starts now writes its frames to the disk history. */
    private readonly recordHistory: () => boolean,
  ) {}

  list(): ServerConfigView[] {
    return this.store.list().map(toView);
  }

  get(id: string): ServerConfigView {
    return toView(this.config(id));
  }

  /** The stored server with its secrets (engine only); NotFound for an unknown id. */
  config(id: string): ServerConfig {
    const config = this.store.get(id);
    if (!config) throw new PatchbayError(ErrorCode.NotFound, `No server with id ${id}`);
    return config;
  }

  /** Whether a server has this name already (case aside). */
  nameTaken(name: string): boolean {
    return nameTaken(this.store.list(), name);
  }

  /** Adds a server; a port is assigned (a free one) when the input has none, then kept for life. */
  async create(input: ServerInput): Promise<ServerConfigView> {
    const settings = withKeyChoice(validSettings(input), undefined);
    const servers = this.store.list();
    assertNameFree(servers, settings.name);
    const taken = new Set(servers.map((s) => s.port));
    let port = settings.port;
    if (port === undefined) port = await findFreePort(taken);
    else await assertPortUsable(port, settings.host, taken, this.reservedPorts);
    const now = Date.now();
    const config: ServerConfig = { ...settings, id: randomUUID(), port, createdAt: now, updatedAt: now };
    this.store.insert(config);
    this.changed();
    return toView(config);
  }

  /**
   * Edits a server. A running one takes what it can live (name, token, origins, limits, restart
   * policy); a change to how it runs (command, environment, folder, mode, port) restarts it,
   * and with clients connected that is refused as RestartNeeded, naming them, unless `restart`.
   */
  async update(
    id: string,
    input: ServerInput,
    options: { removeToken?: boolean; restart?: boolean } = {},
  ): Promise<ServerConfigView> {
    const previous = this.config(id);
    const removeToken = options.removeToken === true || input.requireKey === false;
    const settings = withKeyChoice(mergeSecrets(validSettings(input), previous, removeToken), previous);
    const others = this.store.list().filter((s) => s.id !== id);
    if (settings.name.toLowerCase() !== previous.name.toLowerCase()) assertNameFree(others, settings.name);
    const port = settings.port ?? previous.port;
    if (port !== previous.port) {
      await assertPortUsable(port, settings.host, new Set(others.map((s) => s.port)), this.reservedPorts);
    }
    const config: ServerConfig = {
      ...settings,
      id,
      port,
      createdAt: previous.createdAt,
      updatedAt: Date.now(),
    };
    const up = this.running.isUp(id);
    const reasons = restartReasons(previous, config);
    const sessions = up ? this.running.status(id).sessions : [];
    if (reasons.length > 0 && sessions.length > 0 && !options.restart) {
      throw new PatchbayError(ErrorCode.RestartNeeded, restartQuestion(previous.name, reasons, sessions), {
        data: { reasons, sessions: sessions.map((s) => s.id) },
      });
    }
    this.store.update(config);
    this.changed();
    if (up && reasons.length > 0) await this.restart(id);
    else if (up) this.running.reconfigure(config);
    return toView(config);
  }

  async delete(id: string): Promise<void> {
    this.config(id);
    await this.running.stop(id);
    this.store.delete(id);
    this.changed();
  }

  /** Copies a server under a new name and a new port. */
  async duplicate(id: string): Promise<ServerConfigView> {
    const { id: _id, port: _port, createdAt: _c, updatedAt: _u, ...settings } = this.config(id);
    let name = `${settings.name} copy`;
    for (let n = 2; this.nameTaken(name); n++) name = `${settings.name} copy ${n}`;
    return this.create({ ...settings, name });
  }

  /** Starts a server on its own port; a taken port is an error naming it, never a new URL. */
  async start(id: string): Promise<ServerStatus> {
    const config = this.config(id);
    await this.running.start(config, this.recordHistory());
    this.store.setRunning(id, true);
    return this.status(id);
  }

  /** Stops a server; it stays stopped on the next launch. */
  async stop(id: string): Promise<ServerStatus> {
    this.config(id);
    this.store.setRunning(id, false);
    await this.running.stop(id);
    this.emitStatus(id);
    return this.status(id);
  }

  async restart(id: string): Promise<ServerStatus> {
    await this.running.stop(id);
    return this.start(id);
  }

  /** Starts every server; failures are reported in each status, not thrown. */
  async startAll(): Promise<ServerStatus[]> {
    return Promise.all(this.store.list().map((s) => this.start(s.id).catch(() => this.status(s.id))));
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.store.list().map((s) => this.stop(s.id)));
  }

  /** On launch: starts the servers that were running at quit, or are marked autostart. */
  async restore(): Promise<ServerStatus[]> {
    const wanted = new Set(this.store.runningIds());
    for (const s of this.store.list()) if (s.autostart) wanted.add(s.id);
    return Promise.all([...wanted].map((id) => this.start(id).catch(() => this.status(id))));
  }

  status(id: string): ServerStatus {
    this.config(id);
    return this.running.status(id);
  }

  /** Every server's status, in list order. */
  statuses(): ServerStatus[] {
    return this.store.list().map((s) => this.running.status(s.id));
  }

  /** Ends one client's session on a running server. */
  async endSession(id: string, sessionId: string): Promise<void> {
    this.config(id);
    if (!(await this.running.endSession(id, sessionId)))
      throw new PatchbayError(ErrorCode.NotFound, 'That session has already ended');
  }

  /** Marks a port this app itself listens on (the `serve` window), so no server is given it. */
  reservePort(port: number, holder: string): void {
    this.reservedPorts.set(port, holder);
  }

  /** The engine of a running server (the Tools tab opens its own session on it); undefined when stopped. */
  runtime(id: string): ServerRuntime | undefined {
    return this.running.runtime(id);
  }

  /** The engine of a running server; NotRunning when it is stopped. */
  runningRuntime(id: string): ServerRuntime {
    const runtime = this.running.runtime(id);
    if (!runtime) throw new PatchbayError(ErrorCode.NotRunning, 'The server is not running');
    return runtime;
  }

  /** Tells the shells a server's status moved (the server still exists). */
  emitStatus(id: string): void {
    if (this.store.get(id)) this.events.emit('server-status', this.status(id));
  }

  private changed(): void {
    this.events.emit('servers-changed', this.list());
  }
}
