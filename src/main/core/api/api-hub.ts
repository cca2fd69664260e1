import type { ApiError, ApiResult, EventName, PayloadOf } from '@shared/contract';
import { isCommandName } from '@shared/contract';
import { argumentErrors } from '@shared/contract-args';
import type { FieldError } from '@shared/server-config';
import { ErrorCode, toPatchbayError } from '../errors';
import type { ServerManager } from '../manager/server-manager';
import { ToolsService } from '../tools/tools-service';
import { connectHandlers } from './handlers/connect';
import { serverHandlers } from './handlers/servers';
import { settingsHandlers } from './handlers/settings';
import { shellHandlers } from './handlers/shell';
import { toolsHandlers } from './handlers/tools';
import { trafficHandlers } from './handlers/traffic';
import { transferHandlers } from './handlers/transfer';
import type { Handlers } from './handlers/types';
import type { LiveStreams } from './live-subscription';

/** Pushes an event to one UI connection (an IPC webContents or a WebSocket). */
export type Push = <E extends EventName>(name: E, payload: PayloadOf<E>) => void;

/** What a shell adds to the hub: live-stream pacing, and desktop services (clipboard, dialogs). */
export interface ApiHubOptions {
  batchMs?: number;
  maxPending?: number;
  clipboard?: (text: string) => unknown;
  pickDirectory?: (defaultPath: string | undefined) => Promise<string | null>;
}

/**
 * The engine side of the contract: one hub per ServerManager, one connection per UI.
 * Transports (Electron IPC, WebSocket) only move `call` and `push`; everything else —
 * dispatch, errors as values, snapshots and batched live streams — is here, once.
 */
export class ApiHub {
  private readonly connections = new Set<ApiConnection>();
  private readonly handlers: Handlers;
  private readonly offs: (() => void)[] = [];
  /** The Tools tab's sessions, one per running server, shared by every UI connection. */
  readonly tools: ToolsService;

  constructor(
    readonly manager: ServerManager,
    readonly options: ApiHubOptions = {},
  ) {
    this.tools = new ToolsService((id) => manager.runtime(id));
    // One registration per domain; the type says every command has its handler.
    this.handlers = {
      ...serverHandlers(manager.servers),
      ...trafficHandlers(manager.traffic),
      ...connectHandlers(manager.connections, options.clipboard),
      ...transferHandlers(manager.transfer),
      ...settingsHandlers(manager.settings),
      ...toolsHandlers(this.tools, manager.savedCalls, manager.servers),
      ...shellHandlers(options),
    };
    const forward =
      <E extends EventName>(name: E) =>
      (payload: PayloadOf<E>) => {
        for (const c of this.connections) c.push(name, payload);
      };
    const changed = forward('servers.changed');
    const status = forward('server.status');
    const seen = forward('client.seen');
    manager.on('servers-changed', changed);
    manager.on('server-status', status);
    manager.on('client-seen', seen);
    const progress = forward('tools.progress');
    const result = forward('tools.result');
    const request = forward('tools.request');
    this.tools.on('progress', progress);
    this.tools.on('result', result);
    // A saved call's run keeps its outcome, whoever watches.
    const keep = (o: PayloadOf<'tools.result'>) => {
      if (o.savedId !== undefined) manager.savedCalls.setLastOutcome(o.savedId, o);
    };
    this.tools.on('result', keep);
    this.tools.on('request', request);
    this.offs.push(
      () => this.tools.off('progress', progress),
      () => this.tools.off('result', result),
      () => this.tools.off('result', keep),
      () => this.tools.off('request', request),
      () => void this.tools.close(),
      () => manager.off('servers-changed', changed),
      () => manager.off('server-status', status),
      () => manager.off('client-seen', seen),
    );
  }

  /** A new UI connection; `push` delivers events to it. */
  connect(push: Push): ApiConnection {
    const conn = new ApiConnection(this, push, this.handlers, () => this.connections.delete(conn));
    this.connections.add(conn);
    return conn;
  }

  close(): void {
    for (const c of [...this.connections]) c.close();
    for (const off of this.offs.splice(0)) off();
  }
}

/** One UI's view: its live subscriptions, closed with it. */
export class ApiConnection {
  readonly frameStreams: LiveStreams = new Map();
  readonly logStreams: LiveStreams = new Map();
  private closed = false;

  constructor(
    readonly hub: ApiHub,
    readonly push: Push,
    private readonly handlers: Handlers,
    private readonly onClose: () => void,
  ) {}

  /** Runs a command by name; unknown names, bad arguments and engine errors come back as values. */
  async call(name: unknown, args: unknown): Promise<ApiResult<unknown>> {
    if (!isCommandName(name))
      return {
        ok: false,
        error: { code: ErrorCode.UnknownCommand, message: `Unknown command: ${String(name)}` },
      };
    const fields = argumentErrors(name, args);
    if (fields) return { ok: false, error: invalidArguments(name, fields) };
    try {
      const handler = this.handlers[name] as (a: unknown, c: ApiConnection) => unknown;
      const value: unknown = await handler(args, this);
      return { ok: true, value: value === undefined ? null : value };
    } catch (err) {
      return { ok: false, error: apiError(err) };
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.frameStreams.values(), ...this.logStreams.values()]) {
      s.off();
      s.stream.close();
    }
    this.frameStreams.clear();
    this.logStreams.clear();
    this.onClose();
  }
}

function apiError(err: unknown): ApiError {
  const e = toPatchbayError(err);
  const error: ApiError = { code: e.code, message: e.message };
  if (Array.isArray(e.data)) error.fields = e.data as FieldError[];
  return error;
}

/** Arguments that do not fit the command's schema: the first problem in the message, all in `fields`. */
function invalidArguments(name: string, fields: FieldError[]): ApiError {
  const first = fields[0]!;
  const where = first.field === '' ? `${name} arguments` : first.field;
  return { code: ErrorCode.InvalidArgument, message: `${where}: ${first.message}`, fields };
}
