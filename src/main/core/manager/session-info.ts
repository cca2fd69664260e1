import type { SessionInfo } from '@shared/status';
import type { EngineSession } from '../routing/session';

export type { SessionInfo };

/** The plain, serializable view of an engine session. */
export function sessionInfo(s: EngineSession): SessionInfo {
  const info: SessionInfo = {
    id: s.id,
    since: s.createdAt,
    lastActivityAt: s.lastActivityAt,
    requests: s.requestCount,
    pending: s.pendingCount,
    revivals: s.revivals,
  };
  if (s.client.clientInfo) info.clientInfo = s.client.clientInfo;
  if (s.client.protocolVersion) info.protocolVersion = s.client.protocolVersion;
  return info;
}
