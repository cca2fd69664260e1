import type { JsonRpcMessage } from '../jsonrpc/message';
import type { StdioProcess } from '../stdio/stdio-process';

/** The stateless revision this proxy can forward. */
export const STATELESS_REVISION = '2026-07-28';
/** The newest handshake revision, offered when probing a legacy server. */
export const LATEST_LEGACY_REVISION = '2025-11-25';

/** What a server speaks, learned once per start. */
export interface ProtocolSupport {
  /** True when it answers `server/discover` (2026-07-28 stateless requests work). */
  stateless: boolean;
  /** Revisions the server says it speaks (discover), or the one it chose at initialize. */
  versions: string[];
  serverInfo?: { name?: string; version?: string };
}

const PROBE_CLIENT = { name: 'patchbay-probe', version: '1' };

/**
 * Asks a fresh process what it speaks: an enveloped `server/discover` (which does not pin
 * the process to an era); any error or silence means legacy, and then `initialize` tells
 * the revision it picks (docs/notes/mcp-2026-07-28.md a, g). The process must be a
 * throwaway or the stateless one: after initialize it serves only legacy traffic.
 */
export async function probeProtocol(proc: StdioProcess, timeoutMs: number): Promise<ProtocolSupport> {
  // Patchbay's own exchange, whatever the server says meanwhile (log notifications, noise):
  // the inspector hides it by default and never shows it as the user's error.
  proc.ownTraffic = true;
  try {
    return await probe(proc, timeoutMs);
  } finally {
    proc.ownTraffic = false;
  }
}

async function probe(proc: StdioProcess, timeoutMs: number): Promise<ProtocolSupport> {
  const discover = await request(
    proc,
    {
      jsonrpc: '2.0',
      id: 'patchbay-discover',
      method: 'server/discover',
      params: {
        _meta: {
          'io.modelcontextprotocol/protocolVersion': STATELESS_REVISION,
          'io.modelcontextprotocol/clientCapabilities': {},
          'io.modelcontextprotocol/clientInfo': PROBE_CLIENT,
        },
      },
    },
    timeoutMs,
  );
  const result = discover?.result as
    { supportedVersions?: unknown; _meta?: Record<string, unknown> } | undefined;
  if (result && Array.isArray(result.supportedVersions)) {
    const versions = result.supportedVersions.filter((v): v is string => typeof v === 'string');
    const info = result._meta?.['io.modelcontextprotocol/serverInfo'] as ProtocolSupport['serverInfo'];
    return {
      stateless: versions.includes(STATELESS_REVISION),
      versions,
      ...(info ? { serverInfo: info } : {}),
    };
  }
  if (!proc.alive) return { stateless: false, versions: [] };
  const init = await request(
    proc,
    {
      jsonrpc: '2.0',
      id: 'patchbay-initialize',
      method: 'initialize',
      params: { protocolVersion: LATEST_LEGACY_REVISION, capabilities: {}, clientInfo: PROBE_CLIENT },
    },
    timeoutMs,
  );
  const initResult = init?.result as
    { protocolVersion?: unknown; serverInfo?: ProtocolSupport['serverInfo'] } | undefined;
  const version = typeof initResult?.protocolVersion === 'string' ? initResult.protocolVersion : undefined;
  return {
    stateless: false,
    versions: version ? [version] : [],
    ...(initResult?.serverInfo ? { serverInfo: initResult.serverInfo } : {}),
  };
}

type Answer = { result?: unknown; error?: unknown } | undefined;

/** One request to a process not yet shared with anyone; undefined on timeout or exit. */
function request(
  proc: StdioProcess,
  msg: JsonRpcMessage & { id: string },
  timeoutMs: number,
): Promise<Answer> {
  return new Promise<Answer>((resolve) => {
    const previous = proc.onMessage;
    const done = (answer: Answer) => {
      clearTimeout(timer);
      proc.onMessage = previous;
      resolve(answer);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    void proc.whenExited().then(() => done(undefined));
    proc.onMessage = (m) => {
      if ('id' in m && m.id === msg.id && !('method' in m)) done(m);
    };
    try {
      proc.send(JSON.stringify(msg), msg, { own: true });
    } catch {
      done(undefined);
    }
  });
}
