import { describe, expect, it } from 'vitest';
import { joinCommandLine, splitCommandLine } from './command-line';

const words = (line: string) => {
  const r = splitCommandLine(line);
  if (!r.ok) throw new Error(r.error);
  return r.words;
};

describe('splitCommandLine', () => {
  it('splits on runs of whitespace', () => {
    expect(words('  npx   -y\t@modelcontextprotocol/server-everything ')).toEqual([
      'npx',
      '-y',
      '@modelcontextprotocol/server-everything',
    ]);
  });
  it('keeps quoted spaces and empty quoted words', () => {
    expect(words(`node "my server.js" --name 'a b' ""`)).toEqual([
      'node',
      'my server.js',
      '--name',
      'a b',
      '',
    ]);
  });
  it('honours escapes like a shell', () => {
    expect(words(String.raw`a\ b "c\"d" 'e\f' "g\h"`)).toEqual(['a b', 'c"d', 'e\\f', 'g\\h']);
  });
  it('joins quotes inside a word', () => {
    expect(words(`--root="/tmp/my dir"/x`)).toEqual(['--root=/tmp/my dir/x']);
  });
  it('says which quote is open', () => {
    expect(splitCommandLine(`node "unterminated`)).toEqual({
      ok: false,
      error: 'A double quote is not closed',
    });
  });
  it('round-trips through joinCommandLine', () => {
    const cases = [
      ['npx', '-y', 'pkg'],
      ['a b', "it's", '', '$HOME', 'x"y', 'back\\slash'],
    ];
    for (const c of cases) expect(words(joinCommandLine(c))).toEqual(c);
  });
});
