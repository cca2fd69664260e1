import type {
  ApiError,
  ApiResult,
  ArgsOf,
  CommandName,
  EventName,
  PayloadOf,
  ResultOf,
  Snapshot,
} from '@shared/contract';
import { isCommandName } from '@shared/contract';
import type { FieldError } from '@shared/server-config';
import { parsePastedConfig } from '../clients/import/parse-pasted-config';
import { ErrorCode, PatchbayError, toPatchbayError } from '../errors';
import type { ServerManager } from '../manager/server-manager';
import { ToolsService } from '../tools/tools-service';
import { LiveStream } from './live-stream';

/** Pushes an event to one UI connection (an IPC webContents or a WebSocket). */
export type Push = <E extends EventName>(name: E, payload: PayloadOf<E>) => void;

type Handlers = {
  [C in CommandName]: (args: ArgsOf<C>, conn: ApiConnection) => Promise<ResultOf<C>> | ResultOf<C>;
};

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
    this.handlers = handlersFor(manager, options, this.tools);
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
  readonly frameStreams = new Map<string, { stream: LiveStream<never>; off: () => void }>();
  readonly logStreams = new Map<string, { stream: LiveStream<never>; off: () => void }>();
  private closed = false;

  constructor(
    readonly hub: ApiHub,
    readonly push: Push,
    private readonly handlers: Handlers,
    private readonly onClose: () => void,
  ) {}

  /** Runs a command by name; unknown names and engine errors come back as values. */
  async call(name: unknown, args: unknown): Promise<ApiResult<unknown>> {
    if (!isCommandName(name))
      return {
        ok: false,
        error: { code: ErrorCode.UnknownCommand, message: `Unknown command: ${String(name)}` },
      };
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

function subscription<T extends { seq: number }>(
  map: Map<string, { stream: LiveStream<never>; off: () => void }>,
  id: string,
  resume: { afterSeq?: number; run?: string },
  run: string,
  snapshot: (afterSeq: number) => T[],
  subscribe: (onItems: (items: T[], skipped: number) => void) => () => void,
  send: (items: T[], skipped: number) => void,
  options: { batchMs?: number; maxPending?: number },
): Snapshot<T> {
  const previous = map.get(id);
  previous?.off();
  previous?.stream.close();
  // Subscribe first, then read the snapshot: nothing falls between the two, and the
  // stream's floor drops what the snapshot already holds.
  const pending: { items: T[]; skipped: number }[] = [];
  const box: { stream?: LiveStream<T> } = {};
  const off = subscribe((items, skipped) =>
    box.stream ? box.stream.push(items, skipped) : pending.push({ items, skipped }),
  );
  // Another run's seqs mean nothing here: send this run from its start.
  const afterSeq = resume.run !== undefined && resume.run !== run ? 0 : (resume.afterSeq ?? 0);
  const items = snapshot(afterSeq);
  const lastSeq = items[items.length - 1]?.seq ?? afterSeq;
  const stream = new LiveStream<T>(send, lastSeq, options.batchMs, options.maxPending);
  box.stream = stream;
  for (const p of pending) stream.push(p.items, p.skipped);
  map.set(id, { stream: stream as unknown as LiveStream<never>, off });
  return { items, lastSeq, run };
}

function unsubscribe(map: Map<string, { stream: LiveStream<never>; off: () => void }>, id: string): null {
  const s = map.get(id);
  s?.off();
  s?.stream.close();
  map.delete(id);
  return null;
}

function handlersFor(
  m: ServerManager,
  { clipboard, pickDirectory }: ApiHubOptions,
  tools: ToolsService,
): Handlers {
  return {
    'tools.catalog': (a) => tools.catalog(a.id),
    'tools.call': (a) => {
      if (a.savedId !== undefined && m.savedCalls.get(a.savedId)?.serverId !== a.id) {
        throw new PatchbayError(ErrorCode.NotFound, 'No such saved call');
      }
      return tools.call(a.id, a.name, a.args, a.savedId);
    },
    'tools.cancel': (a) => tools.cancel(a.id, a.callId),
    'tools.answer': (a) => tools.answer(a.id, a.requestId, a.answer),
    'tools.saved': (a) => m.savedCalls.list(a.id),
    'tools.save': (a) => {
      m.get(a.id); // the server exists
      return m.savedCalls.save(a.id, a.name, a.tool, a.args);
    },
    'tools.deleteSaved': (a) => {
      if (m.savedCalls.get(a.savedId)?.serverId === a.id) m.savedCalls.delete(a.savedId);
      return null;
    },
    'servers.list': () => m.list(),
    'servers.get': (a) => m.get(a.id),
    'servers.create': (a) => m.create(a),
    'servers.update': (a) =>
      m.update(a.id, a.input, {
        ...(a.removeToken ? { removeToken: true } : {}),
        ...(a.restart ? { restart: true } : {}),
      }),
    'servers.delete': async (a) => {
      await m.delete(a.id);
      return null;
    },
    'servers.duplicate': (a) => m.duplicate(a.id),
    'servers.start': (a) => m.start(a.id),
    'servers.stop': (a) => m.stop(a.id),
    'servers.restart': (a) => m.restart(a.id),
    'servers.startAll': () => m.startAll(),
    'servers.stopAll': async () => {
      await m.stopAll();
      return null;
    },
    'servers.status': (a) => m.status(a.id),
    'servers.statuses': () => m.list().map((s) => m.status(s.id)),
    'logs.subscribe': (a, conn) =>
      subscription(
        conn.logStreams,
        a.id,
        a,
        m.runs(a.id).logs,
        (after) => m.logs(a.id, after),
        (on) => m.subscribeLogs(a.id, (entry) => on([entry], 0)),
        (entries, skipped) => conn.push('logs.batch', { serverId: a.id, entries, skipped }),
        conn.hub.options,
      ),
    'logs.unsubscribe': (a, conn) => unsubscribe(conn.logStreams, a.id),
    'logs.clear': (a) => {
      m.clearLogs(a.id);
      return null;
    },
    'frames.query': (a) => m.frames(a.id, { ...a.query, ...(a.history ? { history: true } : {}) }),
    'frames.subscribe': (a, conn) =>
      subscription(
        conn.frameStreams,
        a.id,
        a,
        m.runs(a.id).frames,
        (after) => m.frames(a.id, { afterSeq: after }),
        (on) => m.subscribeFrames(a.id, (batch) => on(batch.frames, batch.skipped)),
        (frames, skipped) => conn.push('frames.batch', { serverId: a.id, frames, skipped }),
        conn.hub.options,
      ),
    'frames.unsubscribe': (a, conn) => unsubscribe(conn.frameStreams, a.id),
    'frames.clear': (a) => {
      m.clearFrames(a.id);
      return null;
    },
    'sessions.end': async (a) => {
      await m.endSession(a.id, a.sessionId);
      return null;
    },
    'clients.scan': (a) => m.scanClients(a.cwd ? { cwd: a.cwd } : {}),
    'clients.import': (a) => m.importFromClients(a.entries),
    'clients.parse': (a) => parsePastedConfig(a.text),
    'dialog.pickDirectory': (a) => {
      if (!pickDirectory) throw new PatchbayError(ErrorCode.Unsupported, 'No folder dialog in this shell');
      return pickDirectory(a.defaultPath);
    },
    'servers.connectUrls': (a) => m.connectUrls(a.id),
    'connect.snippets': (a) => m.clientSnippets(a.id),
    'connect.copy': async (a) => {
      if (!clipboard) throw new PatchbayError(ErrorCode.Unsupported, 'No system clipboard in this shell');
      const snippet = m.clientSnippets(a.id, { revealToken: true }).find((s) => s.client === a.client);
      const item = snippet?.items[a.item];
      if (!item) throw new PatchbayError(ErrorCode.NotFound, 'No such snippet');
      await clipboard(item.kind === 'link' ? item.url : item.text);
      return null;
    },
    'connect.add': (a) => m.addToClient(a.id, a.client, a.force ?? false),
    'connect.remove': (a) => m.removeFromClient(a.id, a.client),
    'connect.status': (a) => m.clientStatuses(a.id, a.cwd),
    'config.export': () => m.exportJson(),
    'config.import': (a) => m.importJson(a.text),
    'settings.frameHistory': () => m.frameHistorySettings(),
    'settings.setFrameHistory': (a) => {
      m.setFrameHistory(a);
      return null;
    },
    'settings.closeToTray': () => m.closeToTray(),
    'settings.setCloseToTray': (a) => {
      m.setCloseToTray(a.enabled);
      return null;
    },
    'clipboard.write': async (a) => {
      if (!clipboard) throw new PatchbayError(ErrorCode.Unsupported, 'No system clipboard in this shell');
      await clipboard(a.text);
      return null;
    },
  };
}
