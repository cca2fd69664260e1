import type {
  ClientSnippet,
  ClientStatus,
  ConnectClientId,
  ConnectUrls,
  FileClientId,
  WriteResult,
} from './connect';
import type { ErrorCode } from './error-codes';
import type { Frame, FrameQuery } from './frames';
import type { ImportScan, ImportedServer, PastedConfig } from './imported-server';
import type { FieldError, ServerConfigView, ServerInput } from './server-config';
import type { ServerStatus, SessionInfo, StderrEntry } from './status';
import type {
  SavedCall,
  ToolCatalog,
  ToolOutcome,
  ToolProgress,
  ToolServerAnswer,
  ToolServerRequest,
} from './tools';

/**
 * The one contract between the UI and the engine. Every command (arguments → result) and
 * every event (payload) is named here once; the Electron IPC binding, the WebSocket
 * binding, the preload and the renderer's client are all derived from these objects.
 */

/** A command's types, carried by a value so names exist at runtime too. */
export interface CommandSpec<A, R> {
  readonly args?: A;
  readonly result?: R;
}
export interface EventSpec<P> {
  readonly payload?: P;
}
const command = <A, R>(): CommandSpec<A, R> => ({});
const event = <P>(): EventSpec<P> => ({});

type Id = { id: string };

/** Frame history settings, as in the Settings tab. */
export interface FrameHistorySettings {
  enabled: boolean;
  maxFrames: number;
  maxAgeMs: number;
}

/** A live stream's start: what happened so far, then events with seq above `lastSeq`. */
export interface Snapshot<T> {
  items: T[];
  /** The highest seq in `items` (or the `afterSeq` asked for when empty). */
  lastSeq: number;
  /**
   * Which numbering the seqs belong to. A new run of the server (or of Patchbay) numbers from 1
   * again: a subscriber that passes its last `run` and gets another one back has everything of
   * the new run in `items` (its `afterSeq` was ignored) and should drop what it held.
   */
  run: string;
}

/** Where a live stream resumes: after `afterSeq` of `run` (both from the last snapshot). */
type Resume = { afterSeq?: number; run?: string };

export const commands = {
  'servers.list': command<void, ServerConfigView[]>(),
  'servers.get': command<Id, ServerConfigView>(),
  'servers.create': command<ServerInput, ServerConfigView>(),
  /** Fails with `restart_needed` (naming the clients that would drop) unless `restart` says go ahead. */
  'servers.update': command<
    Id & { input: ServerInput; removeToken?: boolean; restart?: boolean },
    ServerConfigView
  >(),
  'servers.delete': command<Id, null>(),
  'servers.duplicate': command<Id, ServerConfigView>(),
  'servers.start': command<Id, ServerStatus>(),
  'servers.stop': command<Id, ServerStatus>(),
  'servers.restart': command<Id, ServerStatus>(),
  'servers.startAll': command<void, ServerStatus[]>(),
  'servers.stopAll': command<void, null>(),
  'servers.status': command<Id, ServerStatus>(),
  'servers.statuses': command<void, ServerStatus[]>(),
  /** The URLs to paste into a client, with the real key (`?key=…`) when the server has one. */
  'servers.connectUrls': command<Id, ConnectUrls>(),
  /** Starts streaming a server's stderr to this connection (`logs.batch`), after a snapshot. */
  'logs.subscribe': command<Id & Resume, Snapshot<StderrEntry>>(),
  'logs.unsubscribe': command<Id, null>(),
  /** Forgets the stderr lines so far (a running server only). */
  'logs.clear': command<Id, null>(),
  /** Frames matching a query (memory, or disk history). */
  'frames.query': command<Id & { query?: FrameQuery; history?: boolean }, Frame[]>(),
  /** Starts streaming a server's frames to this connection (`frames.batch`), after a snapshot. */
  'frames.subscribe': command<Id & Resume, Snapshot<Frame>>(),
  'frames.unsubscribe': command<Id, null>(),
  /** Forgets the frames so far, in memory and in the disk history. */
  'frames.clear': command<Id, null>(),
  /** Ends one client session: its streams close and its next request gets 404. */
  'sessions.end': command<Id & { sessionId: string }, null>(),
  'clients.scan': command<{ cwd?: string }, ImportScan>(),
  'clients.import': command<{ entries: ImportedServer[] }, ServerConfigView[]>(),
  /** Reads a pasted client config, entry or command line into servers for the Add form. */
  'clients.parse': command<{ text: string }, PastedConfig>(),
  /** What to paste or run in each AI client (a token shows masked). */
  'connect.snippets': command<Id, ClientSnippet[]>(),
  /** Copies one snippet item with the real token, through the main process (desktop). */
  'connect.copy': command<Id & { client: ConnectClientId; item: number }, null>(),
  'connect.add': command<Id & { client: FileClientId; force?: boolean }, WriteResult>(),
  'connect.remove': command<Id & { client: FileClientId }, WriteResult>(),
  'connect.status': command<Id & { cwd?: string }, ClientStatus[]>(),
  'config.export': command<void, string>(),
  'config.import': command<{ text: string }, ServerConfigView[]>(),
  'settings.frameHistory': command<void, FrameHistorySettings>(),
  'settings.setFrameHistory': command<FrameHistorySettings, null>(),
  /** Closing the window keeps servers running in the tray (desktop only). */
  'settings.closeToTray': command<void, boolean>(),
  'settings.setCloseToTray': command<{ enabled: boolean }, null>(),
  /** Asks for a folder with the system dialog (desktop); null when cancelled. */
  'dialog.pickDirectory': command<{ defaultPath?: string }, string | null>(),
  /** Copies through the main process (desktop); the browser shell uses its own clipboard. */
  'clipboard.write': command<{ text: string }, null>(),
  /** What a running server offers, listed through Patchbay's own session (every page). */
  'tools.catalog': command<Id, ToolCatalog>(),
  /** Starts a tool call; progress and the outcome follow as `tools.progress` / `tools.result`. */
  'tools.call': command<
    Id & { name: string; args: Record<string, unknown>; savedId?: string },
    { callId: string }
  >(),
  /** Cancels a running call; false when it had already ended. */
  'tools.cancel': command<Id & { callId: string }, boolean>(),
  /** Answers a server's question during a call (`tools.request`); false when it is gone. */
  'tools.answer': command<Id & { requestId: string; answer: ToolServerAnswer }, boolean>(),
  /** The server's saved calls, each with its last outcome. */
  'tools.saved': command<Id, SavedCall[]>(),
  'tools.save': command<Id & { name: string; tool: string; args: Record<string, unknown> }, SavedCall>(),
  'tools.deleteSaved': command<Id & { savedId: string }, null>(),
} as const;

export const events = {
  'servers.changed': event<ServerConfigView[]>(),
  'server.status': event<ServerStatus>(),
  'client.seen': event<{ serverId: string; session: SessionInfo }>(),
  /** Live frames, at most one message per ~50 ms per subscriber; `skipped` frames were dropped (slow UI). */
  'frames.batch': event<{ serverId: string; frames: Frame[]; skipped: number }>(),
  'logs.batch': event<{ serverId: string; entries: StderrEntry[]; skipped: number }>(),
  'tools.progress': event<ToolProgress>(),
  'tools.result': event<ToolOutcome>(),
  /** A server asks the user something (elicitation, sampling) during a Tools-tab call. */
  'tools.request': event<ToolServerRequest>(),
} as const;

export type CommandName = keyof typeof commands;
export type EventName = keyof typeof events;
export type ArgsOf<C extends CommandName> =
  (typeof commands)[C] extends CommandSpec<infer A, unknown> ? A : never;
export type ResultOf<C extends CommandName> =
  (typeof commands)[C] extends CommandSpec<unknown, infer R> ? R : never;
export type PayloadOf<E extends EventName> = (typeof events)[E] extends EventSpec<infer P> ? P : never;

/** Failures cross as values, never as thrown strings. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Field-level validation problems, for inline form errors. */
  fields?: FieldError[];
}
export type ApiResult<R> = { ok: true; value: R } | { ok: false; error: ApiError };

/** The Electron IPC channels; the preload and the main binding both use these. */
export const IPC = { call: 'patchbay:call', event: 'patchbay:event' } as const;

/** The WebSocket path of `patchbay serve`, and its message shapes. */
export const WS_PATH = '/api';
/** The first message must be `auth` with the launch token (from the URL fragment). */
export type WsClientMessage =
  { t: 'auth'; token: string } | { t: 'call'; id: number; name: CommandName; args: unknown };
/** `ready` answers a good `auth`; a bad one closes the socket with WS_CLOSE_BAD_TOKEN. */
export type WsServerMessage =
  | { t: 'ready' }
  | { t: 'result'; id: number; result: ApiResult<unknown> }
  | { t: 'event'; name: EventName; payload: unknown };
export const WS_CLOSE_BAD_TOKEN = 4401;

/** What the renderer gets, whichever shell hosts it. */
export interface PatchbayApi {
  call<C extends CommandName>(
    name: C,
    ...args: ArgsOf<C> extends void ? [] : [ArgsOf<C>]
  ): Promise<ApiResult<ResultOf<C>>>;
  on<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void): () => void;
}

/** True for a name the contract defines (checked at every boundary). */
export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commands, name);
}
