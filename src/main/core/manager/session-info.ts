import type { EngineSession } from '../routing/session';

/** A connected client, as the Sessions tab lists it. */
export interface SessionInfo {
  id: string;
  clientInfo?: { name?: string; version?: string };
  protocolVersion?: string;
  since: number;
  lastActivityAt: number;
  requests: number;
  pending: number;
}

/** The plain, serializable view of an engine session. */
export function sessionInfo(s: EngineSession): SessionInfo {
  const info: SessionInfo = {
    id: s.id,
    since: s.createdAt,
    lastActivityAt: s.lastActivityAt,
    requests: s.requestCount,
    pending: s.pendingCount,
  };
  if (s.client.clientInfo) info.clientInfo = s.client.clientInfo;
  if (s.client.protocolVersion) info.protocolVersion = s.client.protocolVersion;
  return info;
}
