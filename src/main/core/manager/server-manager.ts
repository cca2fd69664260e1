import { restartQuestion, restartReasons } from './settings-change';
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  KEY_BY_DEFAULT,
  SECRET_MASK,
  type ServerConfig,
  type ServerConfigView,
  type ServerInput,
  type ServerSettings,
  validateServerInput,
} from '@shared/server-config';
import { ErrorCode, PatchbayError } from '../errors';
import type { Frame } from '../inspect/frame';
import type { FrameBatch } from '../inspect/frame-tap';
import { findFreePort, isPortFree } from '../ports';
import { type ServerRuntime, type ServerState } from '../routing/server-runtime';
import { killAllChildrenSync } from '../stdio/child-registry';
import type { StderrEntry } from '../stdio/stderr-log';
import { ChildLedger } from '../store/child-ledger';
import { type Db, openDatabase } from '../store/database';
import { KeyFileCipher, type SecretCipher } from '../store/secret-cipher';
import { ServerStore } from '../store/server-store';
import type { ImportScan, ImportedServer } from '../clients/import/imported-server';
import { scanClientConfigs } from '../clients/import/scan-clients';
import { clientStatuses } from '../clients/client-status';
import { addToClient, removeFromClient } from '../clients/config-writers';
import { clientSnippets } from '../clients/snippets';
import {
  type ClientSnippet,
  type ClientStatus,
  type ConnectServer,
  type ConnectUrls,
  type FileClientId,
  type WriteResult,
  withKey,
} from '@shared/connect';
import { existingForScan, toServerInput } from './client-import';
import { type ExportFile, assertSecretsOpen, mergeSecrets, toExport, toView } from './config-views';
import { type FrameQuery, matchesQuery } from './frame-query';
import { RunningServers, type ServerStatus } from './running-servers';
import type { SessionInfo } from './session-info';
import { DEFAULT_RETENTION, FrameHistory, type FrameRetention } from '../store/frame-history';
import { SettingsStore } from '../store/settings-store';
import { SavedCallStore } from '../store/saved-calls';

export interface ManagerOptions {
  dataDir: string;
  /** Electron passes safeStorage; elsewhere a 0600 key file beside the database. */
  cipher?: SecretCipher;
  /** Quit waits at most this long for servers to stop, then kills what is left. */
  shutdownTimeoutMs?: number;
  /** Whose AI-client config files to read and write (tests point it elsewhere). */
  home?: string;
  /** Width of one activity bucket (the sparkline); 10 s by default. */
  activityBucketMs?: number;
}

export interface ManagerEvents {
  'servers-changed': [ServerConfigView[]];
  'server-status': [ServerStatus];
  'client-seen': [{ serverId: string; session: SessionInfo }];
}

/** Whether frames are also kept on disk, and for how long. */
export interface FrameHistorySettings extends FrameRetention {
  enabled: boolean;
}

/**
 * The one facade every shell (Electron, headless, CLI) talks to: the stored list of
 * servers and their settings, starting and stopping them on their own stable ports,
 * their status, logs and frames, restore on launch and a bounded shutdown.
 */
export class ServerManager extends EventEmitter<ManagerEvents> {
  private readonly running: RunningServers;
  private readonly store: ServerStore;
  private readonly settings: SettingsStore;
  private readonly history: FrameHistory;
  private readonly ledger: ChildLedger;
  /** The Tools tab's saved calls per server. */
  readonly savedCalls: SavedCallStore;
  /** Pids a crash of the previous run left behind, killed at open. */
  readonly reaped: number[];
  private closed = false;

  /** Ports of Patchbay's own listeners → who holds them (named in the refusal). */
  private readonly reservedPorts = new Map<number, string>();
  private constructor(
    private readonly db: Db,
    cipher: SecretCipher,
    private readonly options: ManagerOptions,
  ) {
    super();
    this.store = new ServerStore(db, cipher);
    this.settings = new SettingsStore(db);
    this.history = new FrameHistory(db, this.frameHistorySettings());
    this.ledger = new ChildLedger(db);
    this.savedCalls = new SavedCallStore(db);
    this.running = new RunningServers(
      {
        changed: (id) => this.emitStatus(id),
        clientSeen: (serverId, session) => this.emit('client-seen', { serverId, session }),
        recordFrames: (id, batch) => this.history.append(id, batch.frames),
      },
      options.activityBucketMs,
    );
    this.reaped = this.ledger.reapLeftovers();
    this.ledger.record();
  }

  /** Opens the data dir's database (migrating it) and reaps what a crashed run left. */
  static open(options: ManagerOptions): ServerManager {
    const db = openDatabase(join(options.dataDir, 'patchbay.db'));
    const cipher = options.cipher ?? new KeyFileCipher(join(options.dataDir, 'secret.key'));
    return new ServerManager(db, cipher, options);
  }

  list(): ServerConfigView[] {
    return this.store.list().map(toView);
  }

  get(id: string): ServerConfigView {
    return toView(this.config(id));
  }

  async create(input: ServerInput): Promise<ServerConfigView> {
    const settings = withKeyChoice(this.validate(input), undefined);
    this.assertNameFree(settings.name);
    const taken = new Set(this.store.list().map((s) => s.port));
    let port = settings.port;
    if (port === undefined) port = await findFreePort(taken);
    else await this.assertPortUsable(port, taken, settings.host);
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
    const settings = withKeyChoice(
      mergeSecrets(
        this.validate(input),
        previous,
        options.removeToken === true || input.requireKey === false,
      ),
      previous,
    );
    if (settings.name.toLowerCase() !== previous.name.toLowerCase()) this.assertNameFree(settings.name);
    const port = settings.port ?? previous.port;
    if (port !== previous.port) {
      await this.assertPortUsable(
        port,
        new Set(
          this.store
            .list()
            .filter((s) => s.id !== id)
            .map((s) => s.port),
        ),
        settings.host,
      );
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
    await this.running.start(config, this.frameHistorySettings().enabled);
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

  /** The server's stderr lines after `afterSeq`. */
  logs(id: string, afterSeq = 0): StderrEntry[] {
    return this.running.runtime(id)?.stderr.since(afterSeq) ?? [];
  }

  /** Names the numbering of the server's stderr and frames now (each run numbers from 1). */
  runs(id: string): { logs: string; frames: string } {
    const runtime = this.runtimeOf(id);
    return { logs: runtime.stderr.run, frames: runtime.frames.run };
  }

  /** Forgets the server's stderr lines so far (new ones keep their increasing seq). */
  clearLogs(id: string): void {
    this.config(id);
    this.running.runtime(id)?.stderr.clear();
  }

  /** Forgets the server's frames so far, in memory and in the disk history. */
  clearFrames(id: string): void {
    this.config(id);
    this.running.runtime(id)?.frames.clear();
    this.history.clear(id);
  }

  /** Ends one client's session on a running server. */
  async endSession(id: string, sessionId: string): Promise<void> {
    this.config(id);
    if (!(await this.running.endSession(id, sessionId)))
      throw new PatchbayError(ErrorCode.NotFound, 'That session has already ended');
  }

  subscribeLogs(id: string, listener: (entry: StderrEntry) => void): () => void {
    return this.runtimeOf(id).stderr.subscribe(listener);
  }

  /** Frames that match the query, oldest first: kept in memory, or on disk with `history`. */
  frames(id: string, query: FrameQuery & { history?: boolean } = {}): Frame[] {
    let all: Frame[];
    if (query.history) all = this.history.read(id);
    else all = this.running.runtime(id)?.frames.since(query.afterSeq ?? 0) ?? [];
    const matching = all.filter((f) => matchesQuery(f, query));
    return query.limit === undefined ? matching : matching.slice(-query.limit);
  }

  frameHistorySettings(): FrameHistorySettings {
    return this.settings.get('frameHistory', { enabled: false, ...DEFAULT_RETENTION });
  }

  /** Whether closing the desktop window keeps the servers running in the tray (default on). */
  /** Marks a port this app itself listens on (the `serve` window), so no server is given it. */
  reservePort(port: number, holder: string): void {
    this.reservedPorts.set(port, holder);
  }

  closeToTray(): boolean {
    return this.settings.get('closeToTray', true);
  }

  setCloseToTray(enabled: boolean): void {
    this.settings.set('closeToTray', enabled);
  }

  /** Turns disk history of frames on or off for every server, with its retention. */
  setFrameHistory(settings: FrameHistorySettings): void {
    this.settings.set('frameHistory', settings);
    this.history.setRetention(settings);
    this.running.recordHistory(settings.enabled);
  }

  subscribeFrames(id: string, listener: (batch: FrameBatch) => void): () => void {
    return this.runtimeOf(id).frames.subscribe(listener);
  }

  /** What the AI clients on this machine have configured, minus what Patchbay has already. */
  scanClients(options: { cwd?: string; home?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ImportScan> {
    return scanClientConfigs({
      platform: process.platform,
      home: options.home ?? this.options.home ?? homedir(),
      env: options.env ?? process.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      existing: existingForScan(this.store.list()),
    });
  }

  /** Adds entries the user picked from `scanClients()`; names are cleaned and made unique. */
  async importFromClients(entries: readonly ImportedServer[]): Promise<ServerConfigView[]> {
    const taken = new Set(this.store.list().map((s) => s.name.toLowerCase()));
    const added: ServerConfigView[] = [];
    for (const entry of entries) added.push(await this.create(toServerInput(entry, taken)));
    return added;
  }

  /** How clients reach a server: its stable URL (running or not) and its token. */
  /** `withToken`: the real key is handed out, so it must be one this shell can open. */
  private connectServer(id: string, withToken = false): ConnectServer {
    const c = this.config(id);
    if (withToken && c.token !== undefined) assertSecretsOpen({ ...c, env: [] }, 'give the key of');
    const host =
      c.host === '0.0.0.0' || c.host === '::' ? '127.0.0.1' : c.host.includes(':') ? `[${c.host}]` : c.host;
    const base = `http://${host}:${c.port}`;
    return {
      name: c.name,
      url: `${base}/mcp`,
      sseUrl: `${base}/sse`,
      ...(c.token ? { token: c.token } : {}),
    };
  }

  /**
   * The URLs that work pasted as-is into any client: with `?key=…` when the server has a key.
   * Kept out of `ServerStatus` (broadcast often); the UI asks for them when copying.
   */
  connectUrls(id: string): ConnectUrls {
    const server = this.connectServer(id, true);
    return { url: withKey(server.url, server.token), sseUrl: withKey(server.sseUrl!, server.token) };
  }

  /**
   * What to paste or run in each AI client. `revealToken` is for the main process only
   * (e.g. copying to the clipboard): the UI gets the token masked.
   */
  clientSnippets(id: string, options: { revealToken?: boolean } = {}): ClientSnippet[] {
    const server = this.connectServer(id, options.revealToken);
    if (server.token && !options.revealToken) server.token = SECRET_MASK;
    return clientSnippets(server);
  }

  /** Writes the server into a client's config file (backup kept, other entries untouched). */
  addToClient(id: string, client: FileClientId, force = false): Promise<WriteResult> {
    return addToClient(client, this.connectServer(id, true), { ...this.locations(), force });
  }

  removeFromClient(id: string, client: FileClientId): Promise<WriteResult> {
    return removeFromClient(client, this.connectServer(id), this.locations());
  }

  /** Whether each client has the server, and whether its URL there is current. */
  clientStatuses(id: string, cwd?: string): Promise<ClientStatus[]> {
    return clientStatuses(this.connectServer(id), { ...this.locations(), ...(cwd ? { cwd } : {}) });
  }

  private locations() {
    return { platform: process.platform, home: this.options.home ?? homedir(), env: process.env };
  }

  exportJson(): string {
    return JSON.stringify(toExport(this.store.list()), null, 2);
  }

  /** Adds the servers of an export; names that exist get a suffix, ports are assigned anew if taken. */
  async importJson(text: string): Promise<ServerConfigView[]> {
    const file = JSON.parse(text) as Partial<ExportFile>;
    if (file.patchbay !== 1 || !Array.isArray(file.servers)) {
      throw new PatchbayError(ErrorCode.InvalidArgument, 'This is not a Patchbay export file');
    }
    const added: ServerConfigView[] = [];
    const ports = new Set(this.store.list().map((s) => s.port));
    for (const s of file.servers) {
      let name = s.name;
      for (let n = 2; this.nameTaken(name); n++) name = `${s.name}-${n}`;
      // An import never starts anything on its own: autostart waits for the user's Start.
      const { port, autostart: _autostart, ...rest } = s;
      added.push(
        await this.create({ ...rest, name, autostart: false, ...(ports.has(port) ? {} : { port }) }),
      );
    }
    return added;
  }

  /** Stops everything within the bound, then kills what is left; the database is closed. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const timeout = this.options.shutdownTimeoutMs ?? 5000;
    await Promise.race([
      Promise.all(this.running.ids().map((id) => this.running.stop(id))),
      new Promise((r) => setTimeout(r, timeout).unref()),
    ]);
    killAllChildrenSync();
    this.ledger.stop();
    this.db.close();
  }

  /** The engine of a running server (the Tools tab opens its own session on it); undefined when stopped. */
  runtime(id: string): ServerRuntime | undefined {
    return this.running.runtime(id);
  }

  private runtimeOf(id: string): ServerRuntime {
    const runtime = this.running.runtime(id);
    if (!runtime) throw new PatchbayError(ErrorCode.NotRunning, 'The server is not running');
    return runtime;
  }

  private config(id: string): ServerConfig {
    const config = this.store.get(id);
    if (!config) throw new PatchbayError(ErrorCode.NotFound, `No server with id ${id}`);
    return config;
  }

  private validate(input: ServerInput) {
    const result = validateServerInput(input);
    if (!result.ok) {
      const first = result.errors[0]!;
      throw new PatchbayError(ErrorCode.InvalidArgument, `${first.field}: ${first.message}`, {
        data: result.errors,
      });
    }
    return result.value;
  }

  private nameTaken(name: string): boolean {
    return this.store.list().some((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  private assertNameFree(name: string): void {
    if (this.nameTaken(name)) {
      throw new PatchbayError(ErrorCode.AlreadyExists, `A server named "${name}" exists already`, {
        data: [{ field: 'name', message: 'This name is taken' }],
      });
    }
  }

  private async assertPortUsable(port: number, taken: ReadonlySet<number>, host: string): Promise<void> {
    const holder = this.reservedPorts.get(port);
    if (holder !== undefined) {
      throw new PatchbayError(
        ErrorCode.PortInUse,
        `Port ${port} is taken: ${holder} uses it. Pick another port.`,
        {
          data: [{ field: 'port', message: `${holder} uses this port` }],
        },
      );
    }
    if (taken.has(port)) {
      throw new PatchbayError(ErrorCode.PortInUse, `Port ${port} belongs to another server`, {
        data: [{ field: 'port', message: 'Another server has this port' }],
      });
    }
    if (!(await isPortFree(port, host))) {
      throw new PatchbayError(
        ErrorCode.PortInUse,
        `Port ${port} is used by another program. Pick another port.`,
        {
          data: [{ field: 'port', message: 'Used by another program' }],
        },
      );
    }
  }

  private changed(): void {
    this.emit('servers-changed', this.list());
  }

  private emitStatus(id: string): void {
    if (this.store.get(id)) this.emit('server-status', this.status(id));
  }
}

export type { ServerState, ServerStatus, SessionInfo };

/**
 * Applies "Require a key": a server that should have one and has none gets a random key
 * (32 bytes, base64url), kept for its life so its URLs stay stable; `requireKey` itself is
 * not stored (the token is the state).
 */
function withKeyChoice(settings: ServerSettings, previous: ServerConfig | undefined): ServerSettings {
  const { requireKey, ...rest } = settings;
  const wanted = requireKey ?? (previous === undefined ? KEY_BY_DEFAULT : false);
  if (wanted && rest.token === undefined) rest.token = randomBytes(32).toString('base64url');
  return rest;
}
