import type { Frame } from '@shared/frames';
import { serversStore } from '../servers/servers-store';
import { exchangeOf } from './frame-exchange';
import { parseMessage } from './frame-format';
import type { FrameIndex } from './frame-index';

/**
 * The MCP protocol version a session speaks, for replaying its requests: from the server's
 * status (it has the session's revision once it initialized), else from its initialize answer if held.
 */
export function protocolVersionOf(index: FrameIndex, serverId: string, frame: Frame): string | undefined {
  const sessionId = frame.sessionId;
  if (sessionId === undefined) return undefined;
  const status = serversStore.getState().statuses[serverId];
  const known = status?.sessions.find((s) => s.id === sessionId)?.protocolVersion;
  if (known) return known;
  const init = index.walk(
    frame.seq,
    -1,
    100_000,
    (f) => f.sessionId === sessionId && f.leg === 'client→proxy' && f.method === 'initialize',
  );
  if (!init) return undefined;
  const answer = exchangeOf(index, init).pair;
  const negotiated = (
    parseMessage(answer?.raw ?? '') as { result?: { protocolVersion?: unknown } } | undefined
  )?.result?.protocolVersion;
  return typeof negotiated === 'string' ? negotiated : undefined;
}
