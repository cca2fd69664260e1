import { describe, expect, it } from 'vitest';
import { quoteArg, shellCommand } from './shell-args';

describe('shellCommand', () => {
  it('leaves plain words bare, double-quotes spaces (as the docs write headers)', () => {
    expect(shellCommand(['claude', 'mcp', 'add', 'http://127.0.0.1:7301/mcp'], 'linux')).toBe(
      'claude mcp add http://127.0.0.1:7301/mcp',
    );
    expect(quoteArg('Authorization: Bearer abc', 'darwin')).toBe('"Authorization: Bearer abc"');
  });

  it('POSIX: single quotes for anything a double-quoted shell word would expand', () => {
    expect(quoteArg('a$b', 'linux')).toBe("'a$b'");
    expect(quoteArg('it\'s "x"', 'linux')).toBe(`'it'\\''s "x"'`);
    expect(quoteArg('', 'linux')).toBe('""');
  });

  it('Windows: double quotes with backslash-escaped quotes, backslashes before them doubled', () => {
    expect(quoteArg('{"a":"b c"}', 'win32')).toBe('"{\\"a\\":\\"b c\\"}"');
    expect(quoteArg('C:\\dir with space\\', 'win32')).toBe('"C:\\dir with space\\\\"');
    expect(quoteArg('a\\"b', 'win32')).toBe('"a\\\\\\"b"');
  });
});
