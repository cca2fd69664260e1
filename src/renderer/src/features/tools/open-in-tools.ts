import { createStore } from 'zustand/vanilla';

/** A captured `tools/call` to edit and send again from the Tools tab. */
export interface ToolCallRequest {
  serverId: string;
  name: string;
  args: Record<string, unknown>;
  /** Counts requests, so opening the same call twice opens it twice. */
  n: number;
}

export const openInToolsStore = createStore<{ request: ToolCallRequest | undefined }>(() => ({
  request: undefined,
}));

/** The tool name and arguments of a parsed `tools/call` request; undefined for anything else. */
export function toolCallOf(msg: unknown): { name: string; args: Record<string, unknown> } | undefined {
  if (typeof msg !== 'object' || msg === null) return undefined;
  const m = msg as { method?: unknown; id?: unknown; params?: { name?: unknown; arguments?: unknown } };
  if (m.method !== 'tools/call' || m.id === undefined || typeof m.params?.name !== 'string') return undefined;
  const a = m.params.arguments;
  const args = typeof a === 'object' && a !== null && !Array.isArray(a) ? (a as Record<string, unknown>) : {};
  return { name: m.params.name, args };
}

/** Asks the server's page to open its Tools tab with this call in the form. */
export function openInTools(serverId: string, call: { name: string; args: Record<string, unknown> }): void {
  const n = (openInToolsStore.getState().request?.n ?? 0) + 1;
  openInToolsStore.setState({ request: { serverId, ...call, n } });
}

/** Takes the pending request for this server (once). */
export function takeToolCall(serverId: string): ToolCallRequest | undefined {
  const request = openInToolsStore.getState().request;
  if (request?.serverId !== serverId) return undefined;
  openInToolsStore.setState({ request: undefined });
  return request;
}
