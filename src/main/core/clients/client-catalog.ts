import type { ConnectClientId, FileClientId, ConnectClientInfo, ConnectServer } from '@shared/connect';

export type { ConnectClientId, FileClientId, ConnectClientInfo, ConnectServer };
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
  {
    id: 'claude-desktop',
    label: 'Claude Desktop',
    docUrl: 'https://modelcontextprotocol.io/quickstart/user',
  },
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
