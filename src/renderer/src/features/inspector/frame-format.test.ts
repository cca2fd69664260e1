import { frameMessageText } from '@shared/frames';
import { describe, expect, it } from 'vitest';
import { canCurl, formatBytes, formatTime, parseMessage, toCurl, toNdjsonLines } from './frame-format';
import { frame, toolCall } from './test-frames';

describe('frame formatting', () => {
  it('shows time as HH:MM:SS.mmm and sizes in B/KB/MB', () => {
    expect(formatTime(new Date(2024, 0, 1, 9, 5, 7, 42).getTime())).toBe('09:05:07.042');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1229)).toBe('1.2 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
  });

  it('reads the JSON out of an SSE frame, a body or a stdio line', () => {
    const sse = 'id: a1f-3\nevent: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n';
    expect(frameMessageText(sse)).toBe('{"jsonrpc":"2.0","id":1,"result":{}}');
    expect(parseMessage(sse)).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    expect(parseMessage('{"a":1}\r\n')).toEqual({ a: 1 });
    expect(parseMessage(': keepalive\n\n')).toBeUndefined();
    expect(parseMessage('noise line 1')).toBeUndefined();
    expect(parseMessage('{"jsonrpc":"2.0","id":')).toBeUndefined();
  });

  it('replays a client request as curl with its session headers, quoting for the shell', () => {
    const [req, , , sse] = toolCall(1, 7);
    const body = frame(1, {
      ...req,
      raw: `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"text":"it's"}}`,
    });
    expect(canCurl(body)).toBe(true);
    expect(canCurl(sse!)).toBe(false);
    const cmd = toCurl(body, {
      url: 'http://127.0.0.1:7301/mcp',
      protocolVersion: '2025-06-18',
      hasToken: true,
    });
    expect(cmd).toContain(`curl -sN -X POST 'http://127.0.0.1:7301/mcp'`);
    expect(cmd).toContain(`-H 'Mcp-Session-Id: a1f00000-0000-4000-8000-000000000001'`);
    expect(cmd).toContain(`-H 'MCP-Protocol-Version: 2025-06-18'`);
    expect(cmd).toContain(`-H "Authorization: Bearer $PATCHBAY_TOKEN"`);
    expect(cmd).toContain(
      `--data-raw '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"text":"it'\\''s"}}'`,
    );
    expect(toCurl({ ...body, sessionId: undefined }, { url: undefined })).not.toContain('Mcp-Session-Id');
  });

  it('exports one whole frame per line', () => {
    const lines = toNdjsonLines(toolCall(1, 7));
    expect(lines).toHaveLength(4);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect((JSON.parse(lines[3]!) as { raw: string }).raw).toContain('event: message');
  });
});
