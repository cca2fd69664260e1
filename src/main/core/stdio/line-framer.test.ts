import { describe, expect, it } from 'vitest';
import { LineFramer } from './line-framer';

function collect(max = 1024) {
  const lines: string[] = [];
  const oversize: number[] = [];
  const framer = new LineFramer(
    max,
    (l) => lines.push(l.toString('utf8')),
    (n) => oversize.push(n),
  );
  return { framer, lines, oversize };
}

describe('LineFramer', () => {
  it('splits lines across arbitrary chunk boundaries', () => {
    const { framer, lines } = collect();
    const text = '{"a":1}\n{"b":2}\n{"c":"ü€"}\n';
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += 3) framer.push(bytes.subarray(i, i + 3));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":"ü€"}']);
  });

  it('strips CR of CRLF and skips blank lines', () => {
    const { framer, lines } = collect();
    framer.push(Buffer.from('one\r\n\r\n\ntwo\r'));
    framer.push(Buffer.from('\n'));
    expect(lines).toEqual(['one', 'two']);
  });

  it('does not keep a reference to a chunk the stream may reuse', () => {
    const { framer, lines } = collect();
    const chunk = Buffer.from('abc');
    framer.push(chunk);
    chunk.fill(0x7a);
    framer.push(Buffer.from('def\n'));
    expect(lines).toEqual(['abcdef']);
  });

  it('drops an oversize line, reports its size and resynchronises', () => {
    const { framer, lines, oversize } = collect(10);
    framer.push(Buffer.from('ok\n' + 'x'.repeat(8)));
    framer.push(Buffer.from('y'.repeat(8)));
    framer.push(Buffer.from('z'.repeat(4) + '\nafter\n'));
    framer.push(Buffer.from('w'.repeat(12) + '\nlast\n'));
    expect(lines).toEqual(['ok', 'after', 'last']);
    expect(oversize).toEqual([20, 12]);
  });

  it('handles a multi-megabyte line in many chunks', () => {
    const { framer, lines } = collect(32 * 1024 * 1024);
    const big = JSON.stringify({ text: 'x'.repeat(5 * 1024 * 1024) });
    const bytes = Buffer.from(big + '\n');
    for (let i = 0; i < bytes.length; i += 65536) framer.push(bytes.subarray(i, i + 65536));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(big);
  });

  it('flushes an unterminated last line at end', () => {
    const { framer, lines } = collect();
    framer.push(Buffer.from('tail'));
    expect(lines).toEqual([]);
    framer.end();
    expect(lines).toEqual(['tail']);
  });
});
