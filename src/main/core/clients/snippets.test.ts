import { describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import type { ConnectClientId } from './client-catalog';
import { type ClientSnippet, clientSnippets, type SnippetItem } from './snippets';

const URL_ = 'http://127.0.0.1:7301/mcp';
const plain = { name: 'GitHub Tools', url: URL_ };
const locked = { name: 'GitHub Tools', url: URL_, token: 'tok-123456' };

function snippet(
  server: Parameters<typeof clientSnippets>[0],
  client: ConnectClientId,
  platform = 'linux',
): ClientSnippet {
  const found = clientSnippets(server, { platform: platform as NodeJS.Platform }).find(
    (s) => s.client === client,
  );
  if (found === undefined) throw new Error(`no snippet for ${client}`);
  return found;
}

function item<K extends SnippetItem['kind']>(
  s: ClientSnippet,
  kind: K,
  index = 0,
): Extract<SnippetItem, { kind: K }> {
  const found = s.items.filter((i): i is Extract<SnippetItem, { kind: K }> => i.kind === kind)[index];
  if (found === undefined) throw new Error(`${s.client} has no ${kind} item #${index}`);
  return found;
}

const parsedJson = (s: ClientSnippet): unknown => JSON.parse(item(s, 'json').text);

describe('clientSnippets', () => {
  it('covers every client once, in the documented order, each with its doc page', () => {
    const all = clientSnippets(plain, { platform: 'linux' });
    expect(all.map((s) => s.client)).toEqual([
      'claude-code',
      'cursor',
      'vscode',
      'windsurf',
      'gemini-cli',
      'codex',
      'zed',
      'cline',
      'claude-desktop',
      'generic',
    ]);
    for (const s of all) expect(s.docUrl).toMatch(/^https:\/\//);
  });

  describe('Claude Code', () => {
    it('claude mcp add --transport http <name> <url>, as in the docs', () => {
      const s = snippet(plain, 'claude-code');
      expect(s.name).toBe('GitHub-Tools');
      expect(item(s, 'command').text).toBe(
        'claude mcp add --transport http GitHub-Tools http://127.0.0.1:7301/mcp',
      );
      expect(parsedJson(s)).toEqual({ mcpServers: { 'GitHub-Tools': { type: 'http', url: URL_ } } });
    });

    it('adds --header "Authorization: Bearer …" when the server has a token', () => {
      const s = snippet(locked, 'claude-code');
      expect(item(s, 'command').text).toBe(
        'claude mcp add --transport http GitHub-Tools http://127.0.0.1:7301/mcp --header "Authorization: Bearer tok-123456"',
      );
      expect(item(s, 'command').argv.slice(-2)).toEqual(['--header', 'Authorization: Bearer tok-123456']);
      expect(parsedJson(s)).toEqual({
        mcpServers: {
          'GitHub-Tools': { type: 'http', url: URL_, headers: { Authorization: 'Bearer tok-123456' } },
        },
      });
    });

    it('quotes a token the shell would otherwise expand', () => {
      const s = snippet({ ...locked, token: 'a$b"c`d' }, 'claude-code');
      expect(item(s, 'command').text).toMatch(/--header 'Authorization: Bearer a\$b"c`d'$/);
    });
  });

  describe('Cursor', () => {
    it('mcp.json entry with url (and headers), and a deep link carrying it base64-encoded', () => {
      const s = snippet(locked, 'cursor');
      const entry = { url: URL_, headers: { Authorization: 'Bearer tok-123456' } };
      expect(parsedJson(s)).toEqual({ mcpServers: { 'GitHub-Tools': entry } });
      const link = new URL(item(s, 'link').url);
      expect(`${link.protocol}//${link.host}${link.pathname}`).toBe(
        'cursor://anysphere.cursor-deeplink/mcp/install',
      );
      expect(link.searchParams.get('name')).toBe('GitHub-Tools');
      const config = link.searchParams.get('config') ?? '';
      expect(JSON.parse(Buffer.from(config, 'base64').toString('utf8'))).toEqual(entry);
    });

    it('percent-encodes the base64 so "+" is not read back as a space', () => {
      // This token makes the base64 hold "+" and "/".
      const s = snippet({ ...locked, token: '>>>???>>>' }, 'cursor');
      const raw = item(s, 'link').url.split('config=')[1] ?? '';
      expect(raw).not.toMatch(/[+/=]/);
      const config = new URL(item(s, 'link').url).searchParams.get('config') ?? '';
      expect(config).toMatch(/[+/]/);
      expect(JSON.parse(Buffer.from(config, 'base64').toString('utf8'))).toMatchObject({
        headers: { Authorization: 'Bearer >>>???>>>' },
      });
    });
  });

  describe('VS Code', () => {
    it('camelCase name, "servers" with type http, and the vscode:mcp/install link of the --add-mcp object', () => {
      const s = snippet(locked, 'vscode');
      expect(s.name).toBe('gitHubTools');
      const entry = { type: 'http', url: URL_, headers: { Authorization: 'Bearer tok-123456' } };
      expect(parsedJson(s)).toEqual({ servers: { gitHubTools: entry } });
      const link = item(s, 'link').url;
      expect(link.startsWith('vscode:mcp/install?')).toBe(true);
      expect(JSON.parse(decodeURIComponent(link.slice('vscode:mcp/install?'.length)))).toEqual({
        name: 'gitHubTools',
        ...entry,
      });
      expect(item(s, 'link', 1).url).toBe(link.replace('vscode:', 'vscode-insiders:'));
    });

    it('code --add-mcp with the JSON in single quotes on macOS/Linux, escaped double quotes on Windows', () => {
      const json = `{"name":"gitHubTools","type":"http","url":"${URL_}"}`;
      expect(item(snippet(plain, 'vscode'), 'command').text).toBe(`code --add-mcp '${json}'`);
      expect(item(snippet(plain, 'vscode', 'win32'), 'command').text).toBe(
        `code --add-mcp "${json.replace(/"/g, '\\"')}"`,
      );
    });
  });

  it('Windsurf: serverUrl, not url', () => {
    expect(parsedJson(snippet(locked, 'windsurf'))).toEqual({
      mcpServers: { 'GitHub-Tools': { serverUrl: URL_, headers: { Authorization: 'Bearer tok-123456' } } },
    });
  });

  it('Gemini CLI: httpUrl, a name without underscores, gemini mcp add --scope user --transport http', () => {
    const s = snippet({ ...locked, name: 'my_db tools' }, 'gemini-cli');
    expect(s.name).toBe('my-db-tools');
    expect(parsedJson(s)).toEqual({
      mcpServers: { 'my-db-tools': { httpUrl: URL_, headers: { Authorization: 'Bearer tok-123456' } } },
    });
    expect(item(s, 'command').text).toBe(
      'gemini mcp add --scope user --transport http --header "Authorization: Bearer tok-123456" my-db-tools http://127.0.0.1:7301/mcp',
    );
  });

  describe('Codex', () => {
    it('a [mcp_servers.<name>] table with url and http_headers', () => {
      const s = snippet(locked, 'codex');
      const text = item(s, 'toml').text;
      expect(text).toBe(
        '[mcp_servers.GitHub-Tools]\nurl = "http://127.0.0.1:7301/mcp"\n' +
          'http_headers = { Authorization = "Bearer tok-123456" }\n',
      );
      expect(parseToml(text)).toEqual({
        mcp_servers: { 'GitHub-Tools': { url: URL_, http_headers: { Authorization: 'Bearer tok-123456' } } },
      });
      // codex mcp add has no header option: the command carries the capability URL.
      expect(item(s, 'command').text).toBe(
        'codex mcp add GitHub-Tools --url "http://127.0.0.1:7301/mcp?key=tok-123456"',
      );
      expect(s.notes.join(' ')).toMatch(/shell history/);
    });

    it('a masked key stays the mask in the capability URL (the UI swaps in the real key to copy)', () => {
      const s = snippet({ ...locked, token: '••••••••' }, 'generic');
      expect(s.items.map((i) => (i.kind === 'field' ? i.text : '')).join('\n')).toContain(
        `${URL_}?key=••••••••`,
      );
    });

    it('codex mcp add <name> --url <url> without a token', () => {
      expect(item(snippet(plain, 'codex'), 'command').text).toBe(
        'codex mcp add GitHub-Tools --url http://127.0.0.1:7301/mcp',
      );
    });
  });

  it('Zed: context_servers with url and headers', () => {
    expect(parsedJson(snippet(locked, 'zed'))).toEqual({
      context_servers: { 'GitHub-Tools': { url: URL_, headers: { Authorization: 'Bearer tok-123456' } } },
    });
  });

  it('Cline: type streamableHttp (a bare url would be SSE), disabled false', () => {
    expect(parsedJson(snippet(locked, 'cline'))).toEqual({
      mcpServers: {
        'GitHub-Tools': {
          type: 'streamableHttp',
          url: URL_,
          headers: { Authorization: 'Bearer tok-123456' },
          disabled: false,
        },
      },
    });
  });

  describe('Claude Desktop', () => {
    it('a stdio entry running npx mcp-remote <url>', () => {
      expect(parsedJson(snippet(plain, 'claude-desktop'))).toEqual({
        mcpServers: { 'GitHub-Tools': { command: 'npx', args: ['-y', 'mcp-remote', URL_] } },
      });
    });

    it('the token through env, no spaces in args (Claude Desktop on Windows splits them)', () => {
      const s = snippet(locked, 'claude-desktop');
      expect(parsedJson(s)).toEqual({
        mcpServers: {
          'GitHub-Tools': {
            command: 'npx',
            args: ['-y', 'mcp-remote', URL_, '--header', 'Authorization:${AUTH_HEADER}'],
            env: { AUTH_HEADER: 'Bearer tok-123456' },
          },
        },
      });
      expect(item(s, 'json').where).toContain('claude_desktop_config.json');
    });

    it('--allow-http for a plain-http address other than localhost/127.0.0.1, which mcp-remote refuses', () => {
      const s = snippet({ name: 'x', url: 'http://192.168.1.5:7301/mcp' }, 'claude-desktop');
      expect(parsedJson(s)).toEqual({
        mcpServers: {
          x: { command: 'npx', args: ['-y', 'mcp-remote', 'http://192.168.1.5:7301/mcp', '--allow-http'] },
        },
      });
    });
  });

  it('any other client: transport, URL, header, and the legacy SSE URL when known', () => {
    const s = snippet({ ...locked, sseUrl: 'http://127.0.0.1:7301/sse' }, 'generic');
    expect(s.items).toEqual([
      { kind: 'field', label: 'Transport', text: 'Streamable HTTP' },
      { kind: 'field', label: 'URL', text: URL_ },
      { kind: 'field', label: 'Header', text: 'Authorization: Bearer tok-123456' },
      {
        kind: 'field',
        label: 'Or the URL with the key (clients that cannot send headers)',
        text: `${URL_}?key=tok-123456`,
      },
      {
        kind: 'field',
        label: 'Legacy SSE URL (old clients only)',
        text: 'http://127.0.0.1:7301/sse?key=tok-123456',
      },
    ]);
    expect(s.name).toBe('GitHub Tools');
  });

  it('no client shows a token when the server has none', () => {
    for (const s of clientSnippets(plain, { platform: 'linux' })) {
      expect(JSON.stringify(s)).not.toMatch(/Bearer|Authorization/);
    }
  });
});
