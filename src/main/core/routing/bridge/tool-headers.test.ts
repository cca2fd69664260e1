import { describe, expect, it } from 'vitest';
import { MAX_TOOLS_WITH_HEADERS, ToolHeaders } from './tool-headers';

const tool = (name: string, properties: Record<string, unknown>) => ({
  name,
  inputSchema: { type: 'object', properties },
});

describe('ToolHeaders', () => {
  it('learns the x-mcp-header arguments of listed tools; a relisted tool replaces its entry', () => {
    const h = new ToolHeaders();
    h.learn({
      tools: [
        tool('deploy', { region: { type: 'string', 'x-mcp-header': 'Region' }, n: { type: 'integer' } }),
        tool('plain', { x: { type: 'string' } }),
      ],
    });
    expect([...h.get('deploy')!]).toEqual([['region', 'Region']]);
    expect(h.get('plain')).toBeUndefined();
    h.learn({ tools: [tool('deploy', { region: { type: 'string' } })] });
    expect(h.get('deploy')).toBeUndefined();
  });

  it('enforces nothing for a tool whose annotations are invalid (no token, repeated, object-typed)', () => {
    const h = new ToolHeaders();
    h.learn({
      tools: [
        tool('space', { a: { type: 'string', 'x-mcp-header': 'Bad Name' } }),
        tool('twice', {
          a: { type: 'string', 'x-mcp-header': 'Same' },
          b: { type: 'string', 'x-mcp-header': 'same' },
        }),
        tool('object', { a: { type: 'object', 'x-mcp-header': 'Obj' } }),
      ],
    });
    for (const name of ['space', 'twice', 'object']) expect(h.get(name), name).toBeUndefined();
  });

  it('is bounded: past the cap the oldest learned tool is forgotten', () => {
    const h = new ToolHeaders();
    const annotated = (i: number) => tool(`t${i}`, { a: { type: 'string', 'x-mcp-header': 'A' } });
    h.learn({ tools: Array.from({ length: MAX_TOOLS_WITH_HEADERS + 1 }, (_, i) => annotated(i)) });
    expect(h.get('t0')).toBeUndefined();
    expect(h.get('t1')).toBeDefined();
    expect(h.get(`t${MAX_TOOLS_WITH_HEADERS}`)).toBeDefined();
  });

  it('ignores what is not a tools/list result', () => {
    const h = new ToolHeaders();
    for (const r of [undefined, null, 'x', { tools: 'no' }, { tools: [null, { name: 1 }] }]) h.learn(r);
    expect(h.get('x')).toBeUndefined();
  });
});
