import type { EventStoreLimits } from './event-store';

/** How one server's HTTP endpoint behaves; every limit has a default (PROTOCOL.md). */
export interface EndpointOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  token?: string;
  allowedOrigins?: string[];
  allowedHosts?: string[];
  maxBodyBytes: number;
  maxSessions: number;
  keepAliveMs: number;
  retryMs: number;
  /** Unread bytes after which an SSE client is cut off. */
  sseMaxBufferedBytes: number;
  events: EventStoreLimits;
  /** Messages kept for a session whose GET stream is not open. */
  maxQueued: number;
}

export const DEFAULT_ENDPOINT_OPTIONS: EndpointOptions = {
  host: '127.0.0.1',
  port: 0,
  maxBodyBytes: 4 * 1024 * 1024,
  maxSessions: 100,
  keepAliveMs: 15_000,
  retryMs: 3000,
  sseMaxBufferedBytes: 8 * 1024 * 1024,
  events: { maxEvents: 1000, maxBytes: 8 * 1024 * 1024 },
  maxQueued: 1000,
};
