/**
 * The AI clients Patchbay gives connection instructions for, in the order the UI lists them,
 * each with the page its instructions follow. `generic` is "any other client": the URL and
 * headers to type into whatever form it has.
 */
export type ConnectClientId =
  | 'claude-code'
  | 'cursor'
  | 'vscode'
  | 'windsurf'
  | 'gemini-cli'
  | 'codex'
  | 'zed'
  | 'cline'
  | 'claude-desktop'
  | 'generic';

/** The clients with a config file Patchbay can write an entry into. */
export type FileClientId = Exclude<ConnectClientId, 'generic'>;

export interface ConnectClientInfo {
  id: ConnectClientId;
  label: string;
  /** The documentation the generated snippet and file entry follow. */
  docUrl: string;
}

export const CONNECT_CLIENTS: readonly ConnectClientInfo[] = [
  { id: 'claude-code', label: 'Claude Code', docUrl: 'https://code.claude.com/docs/en/mcp' },
  { id: 'cursor', label: 'Cursor', docUrl: 'https://cursor.com/docs/context/mcp' },
  {
    id: 'vscode',
    label: 'VS Code',
    docUrl: 'https://code.visualstudio.com/docs/copilot/reference/mcp-configuration',
  },
  { id: 'windsurf', label: 'Windsurf', docUrl: 'https://docs.windsurf.com/windsurf/cascade/mcp' },
  { id: 'gemini-cli', label: 'Gemini CLI', docUrl: 'https://geminicli.com/docs/tools/mcp-server' },
  { id: 'codex', label: 'OpenAI Codex CLI', docUrl: 'https://developers.openai.com/codex/mcp' },
  { id: 'zed', label: 'Zed', docUrl: 'https://zed.dev/docs/ai/mcp' },
  { id: 'cline', label: 'Cline', docUrl: 'https://docs.cline.bot/mcp/configuring-mcp-servers' },
  { id: 'claude-desktop', label: 'Claude Desktop', docUrl: 'https://modelcontextprotocol.io/quickstart/user' },
  {
    id: 'generic',
    label: 'Any other client',
    docUrl: 'https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#streamable-http',
  },
];

export const FILE_CLIENTS: readonly FileClientId[] = CONNECT_CLIENTS.map((c) => c.id).filter(
  (id): id is FileClientId => id !== 'generic',
);

export function clientInfo(id: ConnectClientId): ConnectClientInfo {
  const info = CONNECT_CLIENTS.find((c) => c.id === id);
  // The list above covers the whole union; reaching this means the two drifted apart.
  if (info === undefined) throw new Error(`no catalog entry for client ${id}`);
  return info;
}

/** A running Patchbay server as a client should reach it. */
export interface ConnectServer {
  /** The server's name in Patchbay; each client gets a form of it that it accepts. */
  name: string;
  /** Its Streamable HTTP endpoint, e.g. `http://127.0.0.1:7301/mcp`. */
  url: string;
  /** Bearer token clients must send, when the server has one. */
  token?: string;
  /** The legacy SSE endpoint, shown to "any other client" for old clients. */
  sseUrl?: string;
}
