import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type {
  ToolCatalog,
  ToolOutcome,
  ToolProgress,
  ToolServerAnswer,
  ToolServerRequest,
} from '@shared/tools';
import { ErrorCode, PatchbayError, toPatchbayError } from '../errors';
import type { JsonRpcId } from '../jsonrpc/message';
import type { ServerRuntime } from '../routing/server-runtime';
import { listCatalog } from './tool-catalog';
import { ToolSession, type ToolSessionOptions } from './tool-session';

export interface ToolsServiceEvents {
  progress: [ToolProgress];
  result: [ToolOutcome];
  request: [ToolServerRequest];
}

interface RunningCall {
  serverId: string;
  session: ToolSession;
  rpcId: JsonRpcId | undefined;
}

/** Calls running at most over all servers; more are refused (the map is bounded). */
const MAX_CALLS = 64;

/**
 * The Tools tab's engine side: one Patchbay-owned session per running server, opened on
 * demand; lists what a server offers and runs tool calls, reporting progress, server
 * questions and outcomes as events (a call's answer never blocks the command that started it).
 */
export class ToolsService extends EventEmitter<ToolsServiceEvents> {
  private readonly sessions = new Map<string, Promise<ToolSession>>();
  private readonly calls = new Map<string, RunningCall>();
  /** Server→client request ids handed to the window → where they came from. */
  private readonly questions = new Map<
    string,
    { serverId: string; session: ToolSession; id: JsonRpcId; callId: string | undefined }
  >();

  constructor(
    private readonly runtimeOf: (serverId: string) => ServerRuntime | undefined,
    private readonly options: Pick<ToolSessionOptions, 'idleMs' | 'requestTimeoutMs'> = {},
  ) {
    super();
  }

  /** Tools, resources, resource templates and prompts of a running server (every page). */
  async catalog(serverId: string): Promise<ToolCatalog> {
    return listCatalog(await this.session(serverId));
  }

  /** Starts a tool call; its progress and outcome come as events under the returned call id. */
  async call(
    serverId: string,
    name: string,
    args: Record<string, unknown>,
    savedId?: string,
  ): Promise<{ callId: string }> {
    if (typeof name !== 'string' || name === '')
      throw new PatchbayError(ErrorCode.InvalidArgument, 'Which tool?');
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      throw new PatchbayError(ErrorCode.InvalidArgument, 'Arguments must be a JSON object');
    }
    if (this.calls.size >= MAX_CALLS)
      throw new PatchbayError(ErrorCode.Full, `${MAX_CALLS} calls are running already`);
    const session = await this.session(serverId);
    const callId = randomUUID();
    const call: RunningCall = { serverId, session, rpcId: undefined };
    this.calls.set(callId, call);
    const done = (outcome: ToolOutcome) => {
      if (!this.calls.delete(callId)) return;
      // Questions of a call that ended go unanswered: the server gave up on them with the call.
      for (const [key, q] of this.questions) {
        if (q.callId !== callId) continue;
        this.questions.delete(key);
        q.session.forgetServerRequest(q.id);
      }
      this.emit('result', savedId === undefined ? outcome : { ...outcome, savedId });
    };
    session
      .request(
        'tools/call',
        { name, arguments: args },
        {
          timeoutMs: 0, // long tools are fine: the user has Cancel
          onId: (id) => (call.rpcId = id),
          onProgress: (p) => this.emit('progress', progressOf(serverId, callId, p)),
        },
      )
      .then(
        (result) => done({ serverId, callId, ok: true, result: result ?? {} }),
        (err: unknown) => {
          const e = toPatchbayError(err);
          const data = e.data as { cancelled?: boolean; code?: number } | undefined;
          const code = typeof data?.code === 'number' ? `rpc_${data.code}` : e.code;
          done({
            serverId,
            callId,
            ok: false,
            error: { code, message: e.message },
            ...(data?.cancelled ? { cancelled: true } : {}),
          });
        },
      );
    return { callId };
  }

  /** Cancels a running call (the server gets `notifications/cancelled`). */
  cancel(serverId: string, callId: string): boolean {
    const call = this.calls.get(callId);
    if (!call || call.serverId !== serverId || call.rpcId === undefined) return false;
    return call.session.cancel(call.rpcId);
  }

  /** Answers a server's question (elicitation, sampling) shown in the window. */
  answer(serverId: string, requestId: string, answer: ToolServerAnswer): boolean {
    const q = this.questions.get(requestId);
    if (!q || q.serverId !== serverId) return false;
    this.questions.delete(requestId);
    return q.session.answer(q.id, answer);
  }

  /** Closes every session (the hub is going away). */
  async close(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((p) => p.then((s) => s.close()).catch(() => {})));
  }

  /** The server's session, opened on first use and again after it ended (or the server restarted). */
  private async session(serverId: string): Promise<ToolSession> {
    const runtime = this.runtimeOf(serverId);
    if (!runtime) throw new PatchbayError(ErrorCode.NotRunning, 'Start the server to use its tools');
    const existing = this.sessions.get(serverId);
    if (existing) {
      const s = await existing.catch(() => undefined);
      if (s && !s.isClosed && s.runtime === runtime) return s;
      if (this.sessions.get(serverId) === existing) this.sessions.delete(serverId);
      else return this.session(serverId); // someone else opened one meanwhile
    }
    const opening = ToolSession.open(runtime, {
      ...this.options,
      onServerRequest: (id, method, params) => this.question(serverId, opening, id, method, params),
      onClosed: () => {
        if (this.sessions.get(serverId) === opening) this.sessions.delete(serverId);
        for (const [key, q] of this.questions) if (q.serverId === serverId) this.questions.delete(key);
      },
    });
    this.sessions.set(serverId, opening);
    opening.catch(() => {
      if (this.sessions.get(serverId) === opening) this.sessions.delete(serverId);
    });
    return opening;
  }

  private question(
    serverId: string,
    opening: Promise<ToolSession>,
    id: JsonRpcId,
    method: string,
    params: Record<string, unknown>,
  ): void {
    void opening.then((session) => {
      const requestId = randomUUID();
      // The call it belongs to: the one running on this session (the tab runs one at a time).
      let callId: string | undefined;
      for (const [key, c] of this.calls) if (c.session === session) callId = key;
      this.questions.set(requestId, { serverId, session, id, callId });
      this.emit('request', {
        serverId,
        requestId,
        method: method as ToolServerRequest['method'],
        params,
        ...(callId ? { callId } : {}),
      });
    });
  }
}

function progressOf(serverId: string, callId: string, p: Record<string, unknown>): ToolProgress {
  const out: ToolProgress = { serverId, callId, progress: Number(p['progress']) || 0 };
  if (typeof p['total'] === 'number') out.total = p['total'];
  if (typeof p['message'] === 'string') out.message = p['message'];
  return out;
}
