import { describe, expect, it } from 'vitest';
import { entryTarget } from './client-entries';
import { checkEntry, sameUrl } from './entry-check';

const server = { name: 'pb', url: 'http://127.0.0.1:7301/mcp', token: 'tok-1234' };

describe('entryTarget', () => {
  it('reads url, serverUrl (Windsurf) and httpUrl (Gemini CLI), and headers or http_headers (Codex)', () => {
    expect(entryTarget({ url: 'u', headers: { authorization: 'Bearer a' } })).toEqual({
      url: 'u',
      authorization: 'Bearer a',
    });
    expect(entryTarget({ serverUrl: 'w' })).toEqual({ url: 'w' });
    expect(entryTarget({ httpUrl: 'g', headers: { Authorization: 'Bearer g' } })).toEqual({
      url: 'g',
      authorization: 'Bearer g',
    });
    expect(entryTarget({ url: 'c', http_headers: { Authorization: 'Bearer c' } })).toEqual({
      url: 'c',
      authorization: 'Bearer c',
    });
  });

  it('reads an mcp-remote command line, with --header and ${VAR} from the entry’s env', () => {
    expect(
      entryTarget({
        command: 'npx',
        args: ['-y', 'mcp-remote', 'http://h/mcp', '--allow-http', '--header', 'Authorization: Bearer ${T}'],
        env: { T: 'x' },
      }),
    ).toEqual({ url: 'http://h/mcp', authorization: 'Bearer x' });
    expect(entryTarget({ command: 'npx', args: ['@scope/mcp-remote@1.0', 'https://h/mcp'] })).toEqual({
      url: 'https://h/mcp',
    });
    // An unknown variable stays as written: the client may still fill it in.
    expect(
      entryTarget({ args: ['mcp-remote', 'https://h', '--header', 'Authorization:${NOPE}'] }).authorization,
    ).toBe('${NOPE}');
  });

  it('finds nothing in a plain stdio entry or a non-object', () => {
    expect(entryTarget({ command: 'uvx', args: ['mcp-server-fetch', 'https://example.com'] })).toEqual({});
    expect(entryTarget('x')).toEqual({});
    expect(entryTarget(null)).toEqual({});
  });
});

describe('checkEntry', () => {
  it('current, stale (port, loopback name, token) and other', () => {
    const auth = { Authorization: 'Bearer tok-1234' };
    expect(checkEntry({ url: server.url, headers: auth }, server).kind).toBe('current');
    expect(checkEntry({ url: 'http://127.0.0.1:9/mcp', headers: auth }, server).kind).toBe('stale');
    expect(checkEntry({ url: 'http://[::1]:7301/mcp', headers: auth }, server).kind).toBe('stale');
    expect(checkEntry({ url: server.url }, server).kind).toBe('stale');
    expect(checkEntry({ url: 'http://127.0.0.1:7301/other', headers: auth }, server).kind).toBe('other');
    expect(checkEntry({ url: 'https://example.com/mcp' }, server).kind).toBe('other');
    // No token on the server: an entry still sending one reaches it fine.
    expect(checkEntry({ url: server.url, headers: auth }, { name: 'pb', url: server.url }).kind).toBe(
      'current',
    );
  });

  it('compares URLs as URLs', () => {
    expect(sameUrl('HTTP://127.0.0.1:7301/mcp', 'http://127.0.0.1:7301/mcp')).toBe(true);
    expect(sameUrl('http://127.0.0.1:7301/mcp/', 'http://127.0.0.1:7301/mcp')).toBe(false);
    expect(sameUrl('not a url', 'not a url')).toBe(false);
  });
});
