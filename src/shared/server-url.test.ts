import { describe, expect, it } from 'vitest';
import { serverBaseUrl, serverUrls } from './server-url';

describe('serverBaseUrl', () => {
  it('keeps a named or loopback host as it is', () => {
    expect(serverBaseUrl('127.0.0.1', 7301)).toBe('http://127.0.0.1:7301');
    expect(serverBaseUrl('localhost', 80)).toBe('http://localhost:80');
    expect(serverBaseUrl('192.168.1.20', 7301)).toBe('http://192.168.1.20:7301');
  });

  it('reaches a wildcard bind on loopback, IPv4 or IPv6, bracketed or not', () => {
    for (const host of ['0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0'])
      expect(serverBaseUrl(host, 7301), host).toBe('http://127.0.0.1:7301');
  });

  it('puts an IPv6 address in brackets once', () => {
    expect(serverBaseUrl('::1', 7301)).toBe('http://[::1]:7301');
    expect(serverBaseUrl('[::1]', 7301)).toBe('http://[::1]:7301');
    expect(serverBaseUrl('fe80::1', 9)).toBe('http://[fe80::1]:9');
  });

  it('lets a public URL win, without its trailing slash; a blank one does not count', () => {
    expect(serverBaseUrl('0.0.0.0', 7301, 'https://mcp.example.com/team/')).toBe(
      'https://mcp.example.com/team',
    );
    expect(serverBaseUrl('127.0.0.1', 7301, '  ')).toBe('http://127.0.0.1:7301');
  });
});

describe('serverUrls', () => {
  it('gives the Streamable HTTP and legacy SSE paths on the same base', () => {
    expect(serverUrls('::', 7301)).toEqual({
      url: 'http://127.0.0.1:7301/mcp',
      sseUrl: 'http://127.0.0.1:7301/sse',
    });
    expect(serverUrls('127.0.0.1', 1, 'https://x.example')).toEqual({
      url: 'https://x.example/mcp',
      sseUrl: 'https://x.example/sse',
    });
  });
});
