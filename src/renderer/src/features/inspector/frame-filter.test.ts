import { describe, expect, it } from 'vitest';
import { compileFilter, parseFilter } from './frame-filter';
import { frame, toolCall } from './test-frames';

const matches = (text: string, options = {}) => {
  const test = compileFilter(parseFilter(text), options);
  return (f: Parameters<typeof test>[0]) => test(f);
};

describe('parseFilter', () => {
  it('reads key:value tokens and free text', () => {
    const { terms, problems } = parseFilter('method:tools/call session:a1f leg:stdin kind:error id:7 hello');
    expect(problems).toEqual([]);
    expect(terms).toEqual([
      { field: 'method', value: 'tools/call', negate: false },
      { field: 'session', value: 'a1f', negate: false },
      { field: 'leg', value: 'proxy→server', negate: false },
      { field: 'kind', value: 'error', negate: false },
      { field: 'id', value: '7', negate: false },
      { field: 'text', value: 'hello', negate: false },
    ]);
  });

  it('knows each leg by arrow, name and short word', () => {
    const legOf = (v: string) => parseFilter(`leg:${v}`).terms[0]?.value;
    expect(['in', '⇢', 'client', 'client->proxy'].map(legOf)).toEqual(Array(4).fill('client→proxy'));
    expect(['stdin', '→'].map(legOf)).toEqual(['proxy→server', 'proxy→server']);
    expect(['stdout', '←', 'STDOUT'].map(legOf)).toEqual(Array(3).fill('server→proxy'));
    expect(['out', '⇠'].map(legOf)).toEqual(['proxy→client', 'proxy→client']);
  });

  it('says which tokens it could not read, and keeps unknown keys as text', () => {
    const p = parseFilter('leg:sideways kind:bogus transport:pigeon https://x.example');
    expect(p.problems).toHaveLength(3);
    expect(p.problems[0]).toContain('sideways');
    expect(p.terms).toEqual([{ field: 'text', value: 'https://x.example', negate: false }]);
  });

  it('keeps quoted phrases whole and negates with a leading minus', () => {
    expect(parseFilter('"hello world" -method:ping method:"tools/call"').terms).toEqual([
      { field: 'text', value: 'hello world', negate: false },
      { field: 'method', value: 'ping', negate: true },
      { field: 'method', value: 'tools/call', negate: false },
    ]);
    // A quoted phrase is text even when it looks like a token.
    expect(parseFilter('"kind:error"').terms).toEqual([
      { field: 'text', value: 'kind:error', negate: false },
    ]);
  });
});

describe('compileFilter', () => {
  const [req, stdinReq, stdoutRes, sseRes] = toolCall(10, 7);

  it('matches every term (AND), text case-insensitively in the raw frame', () => {
    expect(matches('method:tools/call')(req!)).toBe(true);
    expect(matches('method:tools/call')(stdoutRes!)).toBe(false);
    expect(matches('leg:stdin method:tools')(stdinReq!)).toBe(true);
    expect(matches('leg:stdin method:tools')(req!)).toBe(false);
    expect(matches('id:7')(sseRes!)).toBe(true);
    expect(matches('id:8')(sseRes!)).toBe(false);
    expect(matches('EVENT: MESSAGE')(sseRes!)).toBe(true);
    expect(matches('session:A1F')(req!)).toBe(true);
    expect(matches('session:b')(req!)).toBe(false);
    expect(matches('transport:sse')(sseRes!)).toBe(true);
    expect(matches('-leg:out')(sseRes!)).toBe(false);
    // Regex characters in text are literal.
    expect(matches('(.*)')(frame(1, { raw: 'a (.*) b' }))).toBe(true);
    expect(matches('(.*)')(frame(1, { raw: 'plain' }))).toBe(false);
  });

  it('adds the quick selects to the typed filter', () => {
    expect(matches('method:tools', { leg: 'proxy→server' })(req!)).toBe(false);
    expect(matches('method:tools', { leg: 'proxy→server' })(stdinReq!)).toBe(true);
    expect(matches('', { kind: 'response' })(stdoutRes!)).toBe(true);
    expect(matches('', { session: 'zzz' })(stdoutRes!)).toBe(false);
  });

  it('hides keep-alives and priming unless shown or asked for by kind', () => {
    const ka = frame(1, { kind: 'keepalive', transport: 'sse', leg: 'proxy→client', raw: ': keepalive\n\n' });
    const priming = frame(2, {
      kind: 'priming',
      transport: 'sse',
      leg: 'proxy→client',
      raw: 'id: 1\ndata: \n\n',
    });
    expect(matches('')(ka)).toBe(false);
    expect(matches('')(priming)).toBe(false);
    expect(matches('', { showKeepalives: true })(ka)).toBe(true);
    expect(matches('kind:keepalive')(ka)).toBe(true);
    expect(matches('', { kind: 'priming' })(priming)).toBe(true);
    expect(matches('')(req!)).toBe(true);
  });

  it("hides Patchbay's own frames unless shown, asked for with by:patchbay, or asked for as notes", () => {
    const probe = frame(3, {
      by: 'patchbay',
      kind: 'error',
      leg: 'server→proxy',
      transport: 'stdio',
      rpcId: 'patchbay-discover',
      raw: '{"jsonrpc":"2.0","id":"patchbay-discover","error":{"code":-32601,"message":"Method not found"}}',
    });
    const note = frame(4, {
      by: 'patchbay',
      kind: 'note',
      leg: 'proxy→server',
      transport: 'stdio',
      raw: 'session revived',
    });
    expect(matches('')(probe)).toBe(false);
    expect(matches('kind:error')(probe)).toBe(false); // never counted among the user's errors
    expect(matches('', { showOwn: true })(probe)).toBe(true);
    expect(matches('', { showOwn: true })(req!)).toBe(true);
    expect(matches('by:patchbay')(probe)).toBe(true);
    expect(matches('by:patchbay')(req!)).toBe(false);
    expect(matches('-by:user')(probe)).toBe(true);
    expect(matches('by:user', { showOwn: true })(probe)).toBe(false);
    expect(matches('by:user', { showOwn: true })(req!)).toBe(true);
    expect(matches('-by:patchbay', { showOwn: true })(probe)).toBe(false);
    expect(matches('kind:note')(note)).toBe(true);
    expect(matches('', { kind: 'note' })(note)).toBe(true);
    expect(matches('revived')(note)).toBe(false);
    // Own keep-alives would need both asks; quiet kinds stay hidden with own shown.
    const ka = frame(5, { kind: 'keepalive', by: 'patchbay', raw: ': keepalive\n\n' });
    expect(matches('', { showOwn: true })(ka)).toBe(false);
    expect(matches('', { showOwn: true, showKeepalives: true })(ka)).toBe(true);
    expect(matches('', { showKeepalives: true })(ka)).toBe(false);
  });

  it('reads by: tokens and says plainly when the owner is unknown', () => {
    expect(parseFilter('by:Patchbay -by:user').terms).toEqual([
      { field: 'by', value: 'patchbay', negate: false },
      { field: 'by', value: 'user', negate: true },
    ]);
    expect(parseFilter('by:martians').problems[0]).toContain('by:patchbay');
  });
});
