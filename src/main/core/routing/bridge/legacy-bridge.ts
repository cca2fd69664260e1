import { ErrorCode, PatchbayError } from '../../errors';
import type { JsonRpcRequest } from '../../jsonrpc/message';
import { STATELESS_REVISION } from '../protocol-probe';
import type { CallSink, StatelessCall } from '../stateless-mux';
import { type BridgeHost, BridgeSession } from './bridge-session';
import { MODERN_METHODS, capabilitiesKey } from './modern-results';
import { ToolHeaders } from './tool-headers';

export type { BridgeHost };

/** Distinct client-capabilities sets kept, each with its own legacy session. */
export const MAX_BRIDGE_SESSIONS = 16;
const CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
/**
 * Shared mode: the process already sees the union of every client's capabilities (the mux
 * initializes it so), so one pooled session declaring them all serves every modern client; the
 * bridge checks each request's own capabilities. One session also keeps the mux's attribution
 * of server → client requests certain while calls of other capability sets are held (MRTR).
 */
const SHARED_KEY = 'shared';
const EVERY_CAPABILITY = { sampling: {}, elicitation: { form: {}, url: {} }, roots: {} };

/**
 * The 2026-07-28 bridge (PROTOCOL.md): modern requests to a server that speaks only the
 * 2025 handshake run on legacy sessions Patchbay keeps, one per client-capabilities set
 * (isolated mode) or one for all (shared mode).
 */
export class LegacyBridge {
  private readonly pool = new Map<string, BridgeSession>();
  private nextProxyId = 1;
  /** `x-mcp-header` annotations of the tools listed through the bridge (checked on the HTTP side). */
  readonly toolHeaders = new ToolHeaders();

  constructor(private readonly host: BridgeHost) {}

  /** Legacy sessions kept now. */
  get size(): number {
    return this.pool.size;
  }

  /** Runs one modern request; throws UnsupportedProtocolVersion for a revision other than 2026-07-28. */
  async call(msg: JsonRpcRequest, sink: CallSink): Promise<StatelessCall> {
    const meta = msg.params?.['_meta'] as Record<string, unknown> | undefined;
    const requested = meta?.['io.modelcontextprotocol/protocolVersion'];
    if (requested !== STATELESS_REVISION) {
      throw new PatchbayError(
        ErrorCode.UnsupportedProtocolVersion,
        `Unsupported protocol version: ${String(requested)}`,
        {
          data: { supported: [STATELESS_REVISION], requested },
        },
      );
    }
    const proxyId = this.nextProxyId++;
    const none: StatelessCall = { proxyId, cancel: () => {} };
    if (!MODERN_METHODS.has(msg.method)) {
      throw new PatchbayError(ErrorCode.NotFound, `Method not found: ${msg.method}`);
    }
    const caps = meta?.[CAPABILITIES];
    const session = await this.sessionFor(
      typeof caps === 'object' && caps !== null ? (caps as Record<string, unknown>) : {},
    );
    if (msg.method === 'server/discover') {
      sink.deliver({ jsonrpc: '2.0', id: msg.id, result: session.discover() }, '');
      sink.end();
      return none;
    }
    return session.call(msg, sink, proxyId);
  }

  /** Ends every legacy session of the bridge. */
  async closeAll(): Promise<void> {
    const all = [...this.pool.values()];
    this.pool.clear();
    await Promise.all(all.map((s) => s.close()));
  }

  /** The pooled session for these capabilities, opened and initialized on first use. */
  private async sessionFor(caps: Record<string, unknown>): Promise<BridgeSession> {
    const key = this.host.shared ? SHARED_KEY : capabilitiesKey(caps);
    let session = this.pool.get(key);
    if (!session || session.ended) {
      if (this.pool.size >= MAX_BRIDGE_SESSIONS) this.evictOne();
      const declared = this.host.shared ? EVERY_CAPABILITY : caps;
      const created = new BridgeSession(this.host, declared, this.toolHeaders, (s) => {
        if (this.pool.get(key) === s) this.pool.delete(key);
      });
      this.pool.set(key, created);
      session = created;
      created.ready.catch(() => {
        if (this.pool.get(key) === created) this.pool.delete(key);
      });
    }
    await session.ready;
    return session;
  }

  /** At the cap: drops the least-recently-used idle session; Full when every one is busy. */
  private evictOne(): void {
    let victim: [string, BridgeSession] | undefined;
    for (const entry of this.pool) {
      if (!entry[1].idle) continue;
      if (!victim || entry[1].lastUsedAt < victim[1].lastUsedAt) victim = entry;
    }
    if (!victim) {
      throw new PatchbayError(
        ErrorCode.Full,
        `All ${MAX_BRIDGE_SESSIONS} bridge sessions (one per client-capabilities set) are busy. Retry shortly.`,
      );
    }
    this.pool.delete(victim[0]);
    void victim[1].close();
  }
}
