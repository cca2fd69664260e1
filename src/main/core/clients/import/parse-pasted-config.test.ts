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
});
