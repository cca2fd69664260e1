import { describe, expect, it } from 'vitest';
import { ErrorCode, type PatchbayError } from '../errors';
import { editTomlEntry, headerKeys, parseTomlConfig, tomlEntryBlock } from './toml-config-edit';

const ours = { url: 'http://127.0.0.1:7301/mcp', http_headers: { Authorization: 'Bearer t' } };
const block =
  '[mcp_servers.pb]\nurl = "http://127.0.0.1:7301/mcp"\nhttp_headers = { Authorization = "Bearer t" }\n';
const add = (text: string | undefined) => editTomlEntry(text, 'mcp_servers', 'pb', ours);
const remove = (text: string, name = 'pb') => editTomlEntry(text, 'mcp_servers', name, undefined);

const CONFIG = `# Codex settings
model = "o4-mini"  # the default

[mcp_servers.docs]
command = "npx"
args = ["-y", "docs-mcp"]

[mcp_servers.docs.env]
TOKEN = "x"

# Figma, started by the desktop app
[mcp_servers.figma]
url = "http://127.0.0.1:3845/mcp"
`;

describe('editTomlEntry', () => {
  it('writes the table alone into a missing or empty file', () => {
    expect(add(undefined)).toEqual({ text: block, formatKept: true });
    expect(add('')).toEqual({ text: block, formatKept: true });
  });

  it('appends to a populated file, every other line (comments included) unchanged', () => {
    const { text, formatKept } = add(CONFIG);
    expect(formatKept).toBe(true);
    expect(text).toBe(CONFIG + '\n' + block);
  });

  it('updates an entry where it stands, with its sub-tables, keeping the next table’s comment', () => {
    const before = CONFIG.replace(
      '[mcp_servers.docs]',
      '[mcp_servers.pb]\nurl = "http://127.0.0.1:7000/mcp"\n\n[mcp_servers.docs]',
    ).replace('[mcp_servers.docs.env]', '[mcp_servers.pb.env]\nX = "1"\n\n[mcp_servers.docs.env]');
    const { text } = add(before);
    expect(parseTomlConfig(text)).toEqual({
      ...parseTomlConfig(CONFIG),
      mcp_servers: { pb: ours, ...(parseTomlConfig(CONFIG).mcp_servers as object) },
    });
    expect(text.indexOf('[mcp_servers.pb]')).toBeLessThan(text.indexOf('[mcp_servers.docs]'));
    expect(text).not.toContain('[mcp_servers.pb.env]');
    expect(text).toContain('# Figma, started by the desktop app\n[mcp_servers.figma]');
    expect(text).toContain('model = "o4-mini"  # the default');
  });

  it('removes a table and its sub-tables, leaving the rest line for line', () => {
    expect(remove(CONFIG, 'docs')).toEqual({
      text: `# Codex settings
model = "o4-mini"  # the default

# Figma, started by the desktop app
[mcp_servers.figma]
url = "http://127.0.0.1:3845/mcp"
`,
      formatKept: true,
    });
  });

  it('removes the last table without leaving a blank line behind', () => {
    const { text } = remove(CONFIG + '\n' + block);
    expect(text).toBe(CONFIG);
  });

  it('round-trips: add then remove gives the file back', () => {
    expect(remove(add(CONFIG).text).text).toBe(CONFIG);
  });

  it('keeps CRLF line endings', () => {
    const crlf = CONFIG.replace(/\n/g, '\r\n');
    const { text } = add(crlf);
    expect(text.startsWith(crlf)).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('rewrites the file from its parsed form when the servers are an inline table (comments lost, settings kept)', () => {
    const inline = '# note\nmcp_servers = { docs = { command = "npx" } }\n';
    const { text, formatKept } = add(inline);
    expect(formatKept).toBe(false);
    expect(parseTomlConfig(text)).toEqual({ mcp_servers: { docs: { command: 'npx' }, pb: ours } });
  });

  it('refuses a broken file, saying where, and a mcp_servers that is not a table', () => {
    const err = (() => {
      try {
        add('model = \n');
      } catch (e) {
        return e as PatchbayError;
      }
      throw new Error('expected a throw');
    })();
    expect(err.code).toBe(ErrorCode.InvalidArgument);
    expect(err.message).toMatch(/^not valid TOML: .* \(line 1, column \d+\)$/);
    expect(() => add('mcp_servers = 3\n')).toThrow('"mcp_servers" is not a table');
  });
});

describe('headerKeys', () => {
  it('reads table and array headers with bare, quoted and spaced keys; nothing else', () => {
    expect(headerKeys('[mcp_servers.pb]')).toEqual(['mcp_servers', 'pb']);
    expect(headerKeys('  [ mcp_servers . "my server" ]  # c')).toEqual(['mcp_servers', 'my server']);
    expect(headerKeys("[mcp_servers.'lit.eral'.env]")).toEqual(['mcp_servers', 'lit.eral', 'env']);
    expect(headerKeys('[[mcp_servers.pb.tools]]')).toEqual(['mcp_servers', 'pb', 'tools']);
    expect(headerKeys('args = ["a"]')).toBeUndefined();
    expect(headerKeys('  [1, 2],')).toBeUndefined();
  });
});

describe('tomlEntryBlock', () => {
  it('quotes keys that are not bare and escapes strings the TOML way', () => {
    expect(tomlEntryBlock('mcp_servers', 'a b', { url: 'x"\u007f', on: true, args: ['1'] })).toBe(
      '[mcp_servers."a b"]\nurl = "x\\"\\u007F"\non = true\nargs = ["1"]\n',
    );
    expect(parseTomlConfig(tomlEntryBlock('mcp_servers', 'a b', { url: 'x"\u007f' }))).toEqual({
      mcp_servers: { 'a b': { url: 'x"\u007f' } },
    });
  });
});
