import { describe, expect, it } from 'vitest';
import { ErrorCode, type PatchbayError } from '../errors';
import { detectFormatting, editJsonEntry, parseJsonConfig } from './json-config-edit';

const ours = { url: 'http://127.0.0.1:7301/mcp' };
const add = (text: string | undefined, strict = false): string =>
  editJsonEntry(text, strict, ['mcpServers'], 'pb', ours);
const remove = (text: string, name = 'pb', strict = false): string =>
  editJsonEntry(text, strict, ['mcpServers'], name, undefined);

function thrown(fn: () => unknown): PatchbayError {
  try {
    fn();
  } catch (err) {
    return err as PatchbayError;
  }
  throw new Error('expected a throw');
}

describe('editJsonEntry: adding', () => {
  it('creates the whole file from nothing, two-space indented, with a final newline', () => {
    const expected =
      '{\n  "mcpServers": {\n    "pb": {\n      "url": "http://127.0.0.1:7301/mcp"\n    }\n  }\n}\n';
    expect(add(undefined)).toBe(expected);
    // Cursor and VS Code create the file empty.
    expect(add('')).toBe(expected);
    expect(add('  \n')).toBe(expected);
  });

  it('adds the container to a file without one, after the other settings', () => {
    expect(add('{\n  "theme": "dark"\n}\n')).toBe(
      '{\n  "theme": "dark",\n  "mcpServers": {\n    "pb": {\n      "url": "http://127.0.0.1:7301/mcp"\n    }\n  }\n}\n',
    );
  });

  it('keeps comments, tabs, and the other entries exactly as written (one-line ones too)', () => {
    const before = [
      '{',
      '\t// my servers',
      '\t"mcpServers": {',
      '\t\t"x": {"command":"a","args":["1"]}, // keep me',
      '\t\t/* block */ "y": { "url": "https://example.com/mcp" }',
      '\t}',
      '}',
    ].join('\n');
    const after = add(before);
    expect(after).toBe(
      [
        '{',
        '\t// my servers',
        '\t"mcpServers": {',
        '\t\t"x": {"command":"a","args":["1"]}, // keep me',
        '\t\t/* block */ "y": { "url": "https://example.com/mcp" },',
        '\t\t"pb": {',
        '\t\t\t"url": "http://127.0.0.1:7301/mcp"',
        '\t\t}',
        '\t}',
        '}',
      ].join('\n'),
    );
  });

  it('keeps CRLF line endings and a byte-order mark', () => {
    const before = '\uFEFF{\r\n    "mcpServers": {\r\n        "x": {}\r\n    }\r\n}\r\n';
    const after = add(before);
    expect(after.startsWith('\uFEFF{\r\n')).toBe(true);
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    expect(after).toContain('\r\n        "pb": {\r\n            "url"');
    expect(parseJsonConfig(after, true)).toEqual({ mcpServers: { x: {}, pb: ours } });
  });

  it('replaces an existing entry in place, its neighbours untouched', () => {
    const before =
      '{\n  "mcpServers": {\n    "a": {"command":"x"},\n    "pb": {"url": "http://old"},\n    "z": 1\n  }\n}\n';
    expect(add(before)).toBe(
      '{\n  "mcpServers": {\n    "a": {"command":"x"},\n    "pb": {\n      "url": "http://127.0.0.1:7301/mcp"\n    },\n    "z": 1\n  }\n}\n',
    );
  });

  it('keeps a file written on one line on one line', () => {
    expect(add('{"mcpServers":{"a":{"command":"x"}},"other":true}')).toBe(
      '{"mcpServers":{"a":{"command":"x"},"pb": {"url":"http://127.0.0.1:7301/mcp"}},"other":true}',
    );
  });

  it('adds into a JSONC container whose last entry has a trailing comma', () => {
    const after = add('{\n  "mcpServers": {\n    "a": {"command": "x"},\n  },\n}\n');
    expect(parseJsonConfig(after, false)).toEqual({ mcpServers: { a: { command: 'x' }, pb: ours } });
    expect(after).toContain('"a": {"command": "x"},');
  });
});

describe('editJsonEntry: removing', () => {
  it('removes the entry’s lines and nothing else', () => {
    const before =
      '{\n  "mcpServers": {\n    "a": {"command":"x"},\n    "pb": {\n      "url": "u"\n    },\n    "z": {}\n  }\n}\n';
    expect(remove(before)).toBe('{\n  "mcpServers": {\n    "a": {"command":"x"},\n    "z": {}\n  }\n}\n');
  });

  it('removes the last entry and the comma before it, keeping the comment on that line', () => {
    const before =
      '{\n  "mcpServers": {\n    "a": {"command":"x"}, // about a\n    "pb": {"url": "u"}\n  }\n}\n';
    expect(remove(before)).toBe('{\n  "mcpServers": {\n    "a": {"command":"x"} // about a\n  }\n}\n');
  });

  it('removes the first entry without joining lines', () => {
    const before =
      '{\n  "mcpServers": {\n    "pb": {"url": "u"}, // ours\n    "a": {"command":"x"}\n  }\n}\n';
    expect(remove(before)).toBe('{\n  "mcpServers": {\n    "a": {"command":"x"}\n  }\n}\n');
  });

  it('leaves an empty container when it removes the only entry', () => {
    expect(remove('{\n  "mcpServers": {\n    "pb": {"url": "u"}\n  },\n  "k": 1\n}\n')).toBe(
      '{\n  "mcpServers": {\n  },\n  "k": 1\n}\n',
    );
  });

  it('falls back to jsonc-parser for entries sharing a line, still removing only that entry', () => {
    const after = remove('{"mcpServers": {"a": 1, "pb": {"url": "u"}, "b": 2}}');
    expect(parseJsonConfig(after, true)).toEqual({ mcpServers: { a: 1, b: 2 } });
  });
});

describe('parseJsonConfig', () => {
  it('says where a broken file is broken', () => {
    const err = thrown(() => parseJsonConfig('{\n  "a": 1\n  "b": 2\n}', false));
    expect(err.code).toBe(ErrorCode.InvalidArgument);
    expect(err.message).toBe('not valid JSON: CommaExpected at line 3, column 3');
  });

  it('strict (files read with JSON.parse): refuses comments and trailing commas the client would choke on', () => {
    expect(thrown(() => parseJsonConfig('{ // c\n "a": 1 }', true)).message).toMatch(/InvalidCommentToken/);
    expect(thrown(() => parseJsonConfig('{ "a": 1, }', true)).message).toMatch(/not valid JSON/);
    expect(parseJsonConfig('{ // c\n "a": 1, }', false)).toEqual({ a: 1 });
  });

  it('refuses a top level that is not an object, and a container that is not one', () => {
    expect(thrown(() => parseJsonConfig('[1]', false)).message).toBe(
      'expected a JSON object at the top level',
    );
    expect(thrown(() => add('{"mcpServers": []}')).message).toBe('"mcpServers" is not an object');
  });
});

describe('detectFormatting', () => {
  it('reads tabs, space counts and CRLF from the file', () => {
    expect(detectFormatting('{\n\t"a": 1\n}')).toMatchObject({ insertSpaces: false, eol: '\n' });
    expect(detectFormatting('{\r\n    "a": 1\r\n}')).toMatchObject({
      insertSpaces: true,
      tabSize: 4,
      eol: '\r\n',
    });
    expect(detectFormatting('{}')).toMatchObject({ insertSpaces: true, tabSize: 2 });
  });
});
