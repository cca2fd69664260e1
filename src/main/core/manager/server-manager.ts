import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { ServerConfigView, ServerInput } from '@shared/server-config';
import type { ClientSnippet, ClientStatus, ConnectUrls, FileClientId, WriteResult } from '@shared/connect';
import type { Frame } from '../inspect/frame';
import type { FrameBatch } from '../inspect/frame-tap';
import type { ServerRuntime, ServerState } from '../routing/server-runtime';
import { killAllChildrenSync } from '../stdio/child-registry';
import type { StderrEntry } from '../stdio/stderr-log';
import { ChildLedger } from '../store/child-ledger';
import { type Db, openDatabase } from '../store/database';
import { FrameHistory } from '../store/frame-history';
import { SavedCallStore } from '../store/saved-calls';
import { KeyFileCipher, type SecretCipher } from '../store/secret-cipher';
import { ServerStore } from '../store/server-store';
import { SettingsStore } from '../store/settings-store';
import type { ImportScan, ImportedServer } from '../clients/import/imported-server';
import { AppSettings, type FrameHistorySettings, storedFrameHistory } from './app-settings';
import { ClientConnections } from './client-connections';
import { ConfigTransfer } from './config-transfer';
import type { FrameQuery } from './frame-query';
import type { ManagerEvents } from './manager-events';
import { RunningServers, type ServerStatus } from './running-servers';
import { ServerTraffic } from './server-traffic';
import { Servers } from './servers';
import type { SessionInfo } from './session-info';

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

export type { FrameHistorySettings, ManagerEvents };

/**
 * The one facade every shell (Electron, headless, CLI) talks to. It opens the database, wires
 * the domains and closes them in bounds; the work is in the domains, each a field here
 * (`servers`, `traffic`, `connections`, `transfer`, `settings`, `savedCalls`). The methods
 * below forward to them, so shells and tests can keep calling `manager.start(id)`.
 */
export class ServerManager extends EventEmitter<ManagerEvents> {
  /** The stored servers and their lives: CRUD, start/stop/restore, status, sessions. */
  readonly servers: Servers;
  /** Frames and stderr logs: read, followed live, cleared. */
  readonly traffic: ServerTraffic;
  /** How AI clients reach a server: URLs, snippets, their config files. */
  readonly connections: ClientConnections;
  /** Export/import of Patchbay's file, and servers found in AI clients' configs. */
  readonly transfer: ConfigTransfer;
  /** App-wide settings: frame history, close to tray. */
  readonly settings: AppSettings;
  /** The Tools tab's saved calls per server. */
  readonly savedCalls: SavedCallStore;
  /** Pids a crash of the previous run left behind, killed at open. */
  readonly reaped: number[];
  private readonly running: RunningServers;
  private readonly ledger: ChildLedger;
  private closed = false;

  private constructor(
    private readonly db: Db,
    cipher: SecretCipher,
    private readonly options: ManagerOptions,
  ) {
    super();
    const store = new ServerStore(db, cipher);
    const settingsStore = new SettingsStore(db);
    const history = new FrameHistory(db, storedFrameHistory(settingsStore));
    this.running = new RunningServers(
      {
        changed: (id) => this.servers.emitStatus(id),
        clientSeen: (serverId, session) => this.emit('client-seen', { serverId, session }),
        recordFrames: (id, batch) => history.append(id, batch.frames),
      },
      options.activityBucketMs,
    );
    this.settings = new AppSettings(settingsStore, history, this.running);
    this.servers = new Servers(store, this.running, this, () => this.settings.frameHistorySettings().enabled);
    this.traffic = new ServerTraffic(this.servers, this.running, history);
    this.connections = new ClientConnections((id) => this.servers.config(id), options.home);
    this.transfer = new ConfigTransfer(store, this.servers, options.home);
    this.savedCalls = new SavedCallStore(db);
    this.ledger = new ChildLedger(db);
    this.reaped = this.ledger.reapLeftovers();
    this.ledger.record();
  }

  /** Opens the data dir's database (migrating it) and reaps what a crashed run left. */
  static open(options: ManagerOptions): ServerManager {
    const db = openDatabase(join(options.dataDir, 'patchbay.db'));
    const cipher = options.cipher ?? new KeyFileCipher(join(options.dataDir, 'secret.key'));
    return new ServerManager(db, cipher, options);
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

  // Servers.
  list = (): ServerConfigView[] => this.servers.list();
  get = (id: string): ServerConfigView => this.servers.get(id);
  create = (input: ServerInput): Promise<ServerConfigView> => this.servers.create(input);
  update = (
    id: string,
    input: ServerInput,
    options?: { removeToken?: boolean; restart?: boolean },
  ): Promise<ServerConfigView> => this.servers.update(id, input, options);
  delete = (id: string): Promise<void> => this.servers.delete(id);
  duplicate = (id: string): Promise<ServerConfigView> => this.servers.duplicate(id);
  start = (id: string): Promise<ServerStatus> => this.servers.start(id);
  stop = (id: string): Promise<ServerStatus> => this.servers.stop(id);
  restart = (id: string): Promise<ServerStatus> => this.servers.restart(id);
  startAll = (): Promise<ServerStatus[]> => this.servers.startAll();
  stopAll = (): Promise<void> => this.servers.stopAll();
  restore = (): Promise<ServerStatus[]> => this.servers.restore();
  status = (id: string): ServerStatus => this.servers.status(id);
  endSession = (id: string, sessionId: string): Promise<void> => this.servers.endSession(id, sessionId);
  reservePort = (port: number, holder: string): void => this.servers.reservePort(port, holder);
  runtime = (id: string): ServerRuntime | undefined => this.servers.runtime(id);

  // Traffic.
  logs = (id: string, afterSeq?: number): StderrEntry[] => this.traffic.logs(id, afterSeq);
  runs = (id: string): { logs: string; frames: string } => this.traffic.runs(id);
  subscribeLogs = (id: string, listener: (entry: StderrEntry) => void): (() => void) =>
    this.traffic.subscribeLogs(id, listener);
  clearLogs = (id: string): void => this.traffic.clearLogs(id);
  frames = (id: string, query?: FrameQuery & { history?: boolean }): Frame[] =>
    this.traffic.frames(id, query);
  subscribeFrames = (id: string, listener: (batch: FrameBatch) => void): (() => void) =>
    this.traffic.subscribeFrames(id, listener);
  clearFrames = (id: string): void => this.traffic.clearFrames(id);

  // Client connections.
  connectUrls = (id: string): ConnectUrls => this.connections.connectUrls(id);
  clientSnippets = (id: string, options?: { revealToken?: boolean }): ClientSnippet[] =>
    this.connections.clientSnippets(id, options);
  addToClient = (id: string, client: FileClientId, force?: boolean): Promise<WriteResult> =>
    this.connections.addToClient(id, client, force);
  removeFromClient = (id: string, client: FileClientId): Promise<WriteResult> =>
    this.connections.removeFromClient(id, client);
  clientStatuses = (id: string, cwd?: string): Promise<ClientStatus[]> =>
    this.connections.clientStatuses(id, cwd);

  // Config transfer.
  exportJson = (): string => this.transfer.exportJson();
  importJson = (text: string): Promise<ServerConfigView[]> => this.transfer.importJson(text);
  scanClients = (options?: { cwd?: string; home?: string; env?: NodeJS.ProcessEnv }): Promise<ImportScan> =>
    this.transfer.scanClients(options);
  importFromClients = (entries: readonly ImportedServer[]): Promise<ServerConfigView[]> =>
    this.transfer.importFromClients(entries);

  // App settings.
  frameHistorySettings = (): FrameHistorySettings => this.settings.frameHistorySettings();
  setFrameHistory = (settings: FrameHistorySettings): void => this.settings.setFrameHistory(settings);
  closeToTray = (): boolean => this.settings.closeToTray();
  setCloseToTray = (enabled: boolean): void => this.settings.setCloseToTray(enabled);
}

export type { ServerState, ServerStatus, SessionInfo };
