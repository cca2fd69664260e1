import { describe, expect, it } from 'vitest';
import { nameFromCommand, parsePastedConfig } from './parse-pasted-config';

describe('parsePastedConfig', () => {
  it('reads a whole mcpServers file', () => {
    const r = parsePastedConfig(
      JSON.stringify({
        mcpServers: {
          fs: { command: 'npx', args: ['-y', 'x'], env: { A: '1' } },
          web: { url: 'https://e.x/mcp' },
        },
      }),
    );
    expect(r.servers).toEqual([
      { name: 'fs', command: 'npx', args: ['-y', 'x'], env: { A: '1' }, warnings: [] },
    ]);
    expect(r.skipped[0]?.name).toBe('web');
    expect(r.skipped[0]?.reason).toContain('remote');
  });
  it("reads VS Code's servers and mcp.servers", () => {
    expect(
      parsePastedConfig('{"servers":{"a":{"type":"stdio","command":"node","args":["a.js"]}}}').servers[0]
        ?.name,
    ).toBe('a');
    expect(
      parsePastedConfig('{"mcp":{"servers":{"b":{"command":"uvx","args":["b"]}}}}').servers[0]?.name,
    ).toBe('b');
  });
  it('reads a named entry cut out of a file, trailing comma and all', () => {
    const r = parsePastedConfig(
      '"memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] },',
    );
    expect(r.servers.map((s) => [s.name, s.command])).toEqual([['memory', 'npx']]);
  });
  it('names a lone entry after its package', () => {
    const r = parsePastedConfig(
      '{"command":"npx","args":["-y","@modelcontextprotocol/server-everything@2025.1.1"]}',
    );
    expect(r.servers[0]?.name).toBe('everything');
  });
  it('reads a bare map and JSONC', () => {
    const r = parsePastedConfig('{ // mine\n "a": {"command": "node", "args": ["a.js",],}, }');
    expect(r.servers[0]).toMatchObject({ name: 'a', args: ['a.js'] });
  });
  it('reads a command line', () => {
    const r = parsePastedConfig(`npx -y "@scope/mcp-server-git" --repo '/tmp/my repo'`);
    expect(r.servers[0]).toMatchObject({
      name: 'git',
      command: 'npx',
      args: ['-y', '@scope/mcp-server-git', '--repo', '/tmp/my repo'],
    });
  });
  it('explains what it cannot use', () => {
    expect(() => parsePastedConfig('')).toThrow('Paste a config snippet first');
    expect(() => parsePastedConfig('{"mcpServers": ')).toThrow(/not valid JSON/);
    expect(() => parsePastedConfig('{}')).toThrow(/No server found/);
  });
  it('guesses names from common launchers', () => {
    expect(nameFromCommand('uvx', ['mcp-server-fetch'])).toBe('fetch');
    expect(nameFromCommand('node', ['/opt/servers/weather.js'])).toBe('weather');
    expect(nameFromCommand('/usr/local/bin/github-mcp-server', [])).toBe('github');
  });

  it('reads the code blocks of a README section, and passes over install steps', () => {
    const readme = [
      '## Installation',
      '',
      'Install it, then add this to your `claude_desktop_config.json`:',
      '',
      '```bash',
      'npm install -g @modelcontextprotocol/server-memory',
      '```',
      '',
      '```json',
      '{',
      '  "mcpServers": {',
      '    "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] }',
      '  }',
      '}',
      '```',
    ].join('\n');
    const r = parsePastedConfig(readme);
    expect(r.servers.map((s) => [s.name, s.command, s.args])).toEqual([
      ['memory', 'npx', ['-y', '@modelcontextprotocol/server-memory']],
    ]);
  });
  it('reads a bare fenced block and a tilde fence', () => {
    expect(
      parsePastedConfig('```\n"fs": { "command": "npx", "args": ["-y", "fs-server"] },\n```').servers[0]
        ?.name,
    ).toBe('fs');
    expect(parsePastedConfig('~~~\nuvx mcp-server-fetch\n~~~').servers[0]).toMatchObject({
      name: 'fetch',
      command: 'uvx',
      args: ['mcp-server-fetch'],
    });
  });
  it("reads a client's add command with env, scope and the -- separator", () => {
    const r = parsePastedConfig(
      'claude mcp add fs -s user -e ROOT=/tmp -e TOKEN=abc -- npx -y @modelcontextprotocol/server-filesystem ~/notes',
    );
    expect(r.servers).toEqual([
      {
        name: 'fs',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '~/notes'],
        env: { ROOT: '/tmp', TOKEN: 'abc' },
        warnings: [],
      },
    ]);
    expect(
      parsePastedConfig('$ codex mcp add docs --env KEY=1 -- node \\\n  server.js').servers[0],
    ).toMatchObject({
      name: 'docs',
      command: 'node',
      args: ['server.js'],
      env: { KEY: '1' },
    });
    const remote = parsePastedConfig('claude mcp add --transport http notion https://mcp.notion.com/mcp');
    expect(remote.servers).toEqual([]);
    expect(remote.skipped[0]).toMatchObject({
      name: 'notion',
      reason: expect.stringContaining('remote') as unknown,
    });
  });
  it("reads Codex's TOML", () => {
    const toml = [
      '[mcp_servers.context7]',
      'command = "npx"',
      'args = ["-y", "@upstash/context7-mcp"]',
      '',
      '[mcp_servers.context7.env]',
      'API_KEY = "k"',
      '',
      '[mcp_servers.remote]',
      'url = "https://example.com/mcp"',
    ].join('\n');
    const r = parsePastedConfig(toml);
    expect(r.servers).toEqual([
      {
        name: 'context7',
        command: 'npx',
        args: ['-y', '@upstash/context7-mcp'],
        env: { API_KEY: 'k' },
        warnings: [],
      },
    ]);
    expect(r.skipped.map((s) => s.name)).toEqual(['remote']);
    expect(() => parsePastedConfig('[mcp_servers.x]\ncommand = ')).toThrow(/Cannot read that TOML/);
  });
  it('refuses prose and oversized text with the reason, quickly', () => {
    const started = Date.now();
    expect(() => parsePastedConfig('lorem ipsum dolor '.repeat(300_000))).toThrow(/fits in 256 KB/);
    expect(() => parsePastedConfig('word '.repeat(30_000))).toThrow(/reads like prose/);
    expect(() => parsePastedConfig('Run the server with npx and it works.')).toThrow(/reads like prose/);
    expect(() => parsePastedConfig('This server helps.\nIt reads files.\nUse it daily.')).toThrow(
      /3 lines and none is a server/,
    );
    expect(Date.now() - started).toBeLessThan(5_000); // linear work, not a hang
  });
});
