import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { RpcErrorCode } from '../jsonrpc/errors';
import type { EndpointOptions } from './endpoint-options';
import type { EndpointTap, McpEndpoint } from './mcp-endpoint';
import { replyEmpty, replyError } from './replies';
import { requireJson, readMessages } from './request-parsing';

/**
 * The 2024-11-05 HTTP+SSE transport: GET /sse opens a session's one stream and names
 * the absolute URL to POST to; POST /messages?sessionId=… answers 202 and the response
 * arrives on the stream. Same sessions, writer and keep-alive as /mcp.
 */
export class LegacySse {
  constructor(
    private readonly mcp: McpEndpoint,
    private readonly options: EndpointOptions,
    private readonly tap: EndpointTap = {},
  ) {}

  async open(req: IncomingMessage, res: ServerResponse, cors: OutgoingHttpHeaders): Promise<void> {
    const session = await this.mcp.openSession(res, cors);
    if (!session) return;
    const writer = this.mcp.sseWriter(res, cors, session.id);
    session.legacyStream = writer;
    // Absolute, on the host the client used (already checked against the allowed hosts). With
    // a key, the URL carries it: a client that found /sse by its capability URL POSTs here
    // with no header, and a session id is never a substitute for the key.
    const key = this.options.token ? `&key=${encodeURIComponent(this.options.token)}` : '';
    writer.endpoint(`http://${req.headers.host}/messages?sessionId=${encodeURIComponent(session.id)}${key}`);
    writer.onClose(() => void session.engine.close('client'));
  }

  async post(
    req: IncomingMessage,
    res: ServerResponse,
    cors: OutgoingHttpHeaders,
    search: URLSearchParams,
  ): Promise<void> {
    const id = search.get('sessionId');
    if (id === null) {
      replyError(
        res,
        400,
        RpcErrorCode.InvalidRequest,
        'Bad Request: sessionId query parameter is required',
        { headers: cors },
      );
      return;
    }
    const session = this.mcp.sessions.get(id);
    if (session === undefined || session.ended || !session.legacyStream) {
      replyError(res, 404, RpcErrorCode.ServerBusy, 'Session not found: open a new /sse stream', {
        headers: cors,
      });
      return;
    }
    if (!requireJson(req, res, cors)) return;
    const parsed = await readMessages(req, res, cors, this.options.maxBodyBytes);
    if (!parsed) return;
    for (const m of parsed.messages) {
      this.tap.clientMessage?.(session.id, m);
      session.engine.send(m.msg, m.line);
    }
    replyEmpty(res, 202, cors);
  }
}
