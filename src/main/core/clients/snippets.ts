import { type SnippetItem, type ClientSnippet, withKey } from '@shared/connect';
import { SECRET_MASK } from '@shared/server-config';

export type { SnippetItem, ClientSnippet };
import { CONNECT_CLIENTS, type ConnectClientId, type ConnectServer } from './client-catalog';
import { bearer, clientEntry, type EntryObject } from './client-entries';
import { clientServerName } from './client-names';
import { shellCommand } from './shell-args';
import { tomlEntryBlock } from './toml-config-edit';

export interface SnippetOptions {
  /** Picks the shell quoting and the file locations shown; defaults to this machine's. */
  platform?: NodeJS.Platform;
}

/** For a running server, what to paste, open or run in each client. */
export function clientSnippets(server: ConnectServer, options: SnippetOptions = {}): ClientSnippet[] {
  const platform = options.platform ?? process.platform;
  return CONNECT_CLIENTS.map(({ id, label, docUrl }) => {
    const name = id === 'generic' ? server.name : clientServerName(id, server.name);
    const { items, notes } = BUILDERS[id](server, platform);
    return { client: id, label, docUrl, name, items, notes };
  });
}

type Built = { items: SnippetItem[]; notes: string[] };
type Builder = (server: ConnectServer, platform: NodeJS.Platform) => Built;

const json = (value: unknown): string => JSON.stringify(value, null, 2);

/** A client's file snippet: its entry under the container key, as a whole file would hold it. */
function fileText(container: string, entry: { name: string; value: EntryObject }): string {
  return json({ [container]: { [entry.name]: entry.value } });
}

function command(label: string, argv: string[], platform: NodeJS.Platform): SnippetItem {
  return { kind: 'command', label, text: shellCommand(argv, platform), argv };
}

const BUILDERS: Record<ConnectClientId, Builder> = {
  // https://code.claude.com/docs/en/mcp — "Option 1: Add a remote HTTP server":
  //   claude mcp add --transport http secure-api https://api.example.com/mcp \
  //     --header "Authorization: Bearer your-token"
  // User scope lives in ~/.claude.json under the top-level "mcpServers".
  'claude-code': (server, platform) => {
    const entry = clientEntry('claude-code', server);
    const argv = ['claude', 'mcp', 'add', '--transport', 'http', entry.name, server.url];
    if (server.token !== undefined) argv.push('--header', `Authorization: ${bearer(server.token)}`);
    return {
      items: [
        command('Run in a terminal', argv, platform),
        {
          kind: 'json',
          label: 'Or add to the file',
          text: fileText('mcpServers', entry),
          where: '~/.claude.json',
        },
      ],
      notes: [
        'The command adds the server to the current project; add --scope user to have it in every project.',
      ],
    };
  },

  // https://cursor.com/docs/context/mcp — remote servers in mcp.json take "url" and "headers".
  // https://cursor.com/docs/mcp/install-links — cursor://anysphere.cursor-deeplink/mcp/install
  //   ?name=$NAME&config=$BASE64_ENCODED_CONFIG, the config being the entry without its name.
  cursor: (server) => {
    const entry = clientEntry('cursor', server);
    const config = Buffer.from(JSON.stringify(entry.value), 'utf8').toString('base64');
    // Base64 holds "+", "/" and "=": a query string would read "+" as a space, so encode it.
    const link =
      'cursor://anysphere.cursor-deeplink/mcp/install' +
      `?name=${encodeURIComponent(entry.name)}&config=${encodeURIComponent(config)}`;
    return {
      items: [
        { kind: 'link', label: 'Open in Cursor', url: link },
        {
          kind: 'json',
          label: 'Or add to mcp.json',
          text: fileText('mcpServers', entry),
          where: '~/.cursor/mcp.json (every project) or .cursor/mcp.json (one project)',
        },
      ],
      notes: [],
    };
  },

  // https://code.visualstudio.com/docs/copilot/reference/mcp-configuration — "servers" map,
  //   HTTP servers: { "type": "http", "url", "headers" }.
  // https://code.visualstudio.com/docs/copilot/guides/mcp-developer-guide#_mcp-url-handler —
  //   `vscode:mcp/install?${encodeURIComponent(JSON.stringify(obj))}`, obj as for --add-mcp,
  //   i.e. the entry with its "name" (https://code.visualstudio.com/docs/copilot/customization/mcp-servers).
  vscode: (server, platform) => {
    const entry = clientEntry('vscode', server);
    const obj = JSON.stringify({ name: entry.name, ...entry.value });
    const query = encodeURIComponent(obj);
    return {
      items: [
        { kind: 'link', label: 'Install in VS Code', url: `vscode:mcp/install?${query}` },
        { kind: 'link', label: 'Install in VS Code Insiders', url: `vscode-insiders:mcp/install?${query}` },
        command('Or run in a terminal', ['code', '--add-mcp', obj], platform),
        {
          kind: 'json',
          label: 'Or add to mcp.json',
          text: fileText('servers', entry),
          where: 'MCP: Open User Configuration (every workspace) or .vscode/mcp.json (one workspace)',
        },
      ],
      notes: [],
    };
  },

  // https://docs.windsurf.com/windsurf/cascade/mcp — ~/.codeium/windsurf/mcp_config.json, remote
  //   servers as { "serverUrl", "headers" }.
  windsurf: (server) => {
    const entry = clientEntry('windsurf', server);
    return {
      items: [
        {
          kind: 'json',
          label: 'Add to mcp_config.json',
          text: fileText('mcpServers', entry),
          where: '~/.codeium/windsurf/mcp_config.json',
        },
      ],
      notes: ['Then press Refresh in Cascade’s MCP panel.'],
    };
  },

  // https://geminicli.com/docs/tools/mcp-server — settings.json "mcpServers", Streamable HTTP as
  //   { "httpUrl", "headers" }; `gemini mcp add [options] <name> <commandOrUrl>` with
  //   --scope (default project), --transport http and --header.
  'gemini-cli': (server, platform) => {
    const entry = clientEntry('gemini-cli', server);
    const argv = ['gemini', 'mcp', 'add', '--scope', 'user', '--transport', 'http'];
    if (server.token !== undefined) argv.push('--header', `Authorization: ${bearer(server.token)}`);
    argv.push(entry.name, server.url);
    return {
      items: [
        command('Run in a terminal', argv, platform),
        {
          kind: 'json',
          label: 'Or add to settings.json',
          text: fileText('mcpServers', entry),
          where: '~/.gemini/settings.json',
        },
      ],
      notes: [],
    };
  },

  // https://developers.openai.com/codex/mcp — [mcp_servers.<name>] with url = "…" for
  //   Streamable HTTP; http_headers for literal headers (an inline bearer_token is rejected);
  //   `codex mcp add <name> --url <url>` has no header option, only --bearer-token-env-var.
  codex: (server, platform) => {
    const entry = clientEntry('codex', server);
    const items: SnippetItem[] = [
      {
        kind: 'toml',
        label: 'Add to config.toml',
        text: tomlEntryBlock('mcp_servers', entry.name, entry.value),
        where: '~/.codex/config.toml',
      },
    ];
    // `codex mcp add` takes no header: with a key, it gets the capability URL instead.
    items.push(
      command(
        'Or run in a terminal',
        ['codex', 'mcp', 'add', entry.name, '--url', keyedUrl(server.url, server.token)],
        platform,
      ),
    );
    return {
      items,
      notes:
        server.token === undefined
          ? []
          : ['The command puts the key in the URL (?key=…), which your shell history keeps.'],
    };
  },

  // https://zed.dev/docs/ai/mcp — settings.json "context_servers", remote servers as
  //   { "url", "headers" }.
  zed: (server) => {
    const entry = clientEntry('zed', server);
    return {
      items: [
        {
          kind: 'json',
          label: 'Add to settings.json',
          text: fileText('context_servers', entry),
          where: 'zed: open settings file (~/.config/zed/settings.json)',
        },
      ],
      notes: [],
    };
  },

  // https://docs.cline.bot/mcp/configuring-mcp-servers — "Streamable HTTP configuration example":
  //   { "type": "streamableHttp", "url", "headers", "disabled": false }.
  cline: (server) => {
    const entry = clientEntry('cline', server);
    return {
      items: [
        {
          kind: 'json',
          label: 'Add to cline_mcp_settings.json',
          text: fileText('mcpServers', entry),
          where:
            'MCP Servers → Configure → Configure MCP Servers (~/.cline/data/settings/cline_mcp_settings.json)',
        },
      ],
      notes: [],
    };
  },

  // https://modelcontextprotocol.io/quickstart/user — claude_desktop_config.json runs stdio
  //   servers only; https://github.com/geelen/mcp-remote bridges to a URL ("Custom Headers").
  'claude-desktop': (server, platform) => {
    const entry = clientEntry('claude-desktop', server);
    const where =
      platform === 'win32'
        ? '%APPDATA%\\Claude\\claude_desktop_config.json'
        : platform === 'darwin'
          ? '~/Library/Application Support/Claude/claude_desktop_config.json'
          : '~/.config/Claude/claude_desktop_config.json';
    return {
      items: [
        {
          kind: 'json',
          label: 'Add to claude_desktop_config.json',
          text: fileText('mcpServers', entry),
          where,
        },
      ],
      notes: [
        'Claude Desktop starts mcp-remote with npx, so Node.js 18 or later must be installed.',
        'Quit and reopen Claude Desktop to load the change.',
      ],
    };
  },

  generic: (server) => {
    const items: SnippetItem[] = [
      { kind: 'field', label: 'Transport', text: 'Streamable HTTP' },
      { kind: 'field', label: 'URL', text: server.url },
    ];
    if (server.token !== undefined) {
      items.push(
        { kind: 'field', label: 'Header', text: `Authorization: ${bearer(server.token)}` },
        {
          kind: 'field',
          label: 'Or the URL with the key (clients that cannot send headers)',
          text: keyedUrl(server.url, server.token),
        },
      );
    }
    if (server.sseUrl !== undefined) {
      items.push({
        kind: 'field',
        label: 'Legacy SSE URL (old clients only)',
        text: keyedUrl(server.sseUrl, server.token),
      });
    }
    return { items, notes: [] };
  },
};

/** The capability URL; a masked key stays readable as the mask (the UI swaps in the real one to copy). */
function keyedUrl(url: string, token: string | undefined): string {
  return token === SECRET_MASK ? `${url}?key=${SECRET_MASK}` : withKey(url, token);
}
