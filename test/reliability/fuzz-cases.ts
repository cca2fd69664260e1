/**
 * The fuzz run's case generator: a seeded PRNG (mulberry32) drives methods, paths,
 * headers, bodies and framing, so a failing case is reproduced by its seed and number.
 * Cases aim at the proxy, not the server behind it: tools that hang, crash or ask the
 * client something (sampling, ping) are left out, since a fuzz client never answers.
 */

export interface FuzzContext {
  port: number;
  /** Live Streamable HTTP sessions, with the revision each negotiated. */
  sessions: { id: string; version: string }[];
  /** A live legacy (/sse) session id. */
  legacySession: string;
  /** The proxy's key, sent first on every case so the fuzz reaches past the 401 (issue 16). */
  key?: string;
}

export interface FuzzCase {
  n: number;
  /** What was generated, for the failure report. */
  label: string;
  method: string;
  path: string;
  bytes: Buffer;
  /** The session it named, if any (a DELETE of a pool session must be replaced). */
  session?: string;
}

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FuzzGen {
  private readonly r: () => number;
  constructor(seed: number) {
    this.r = prng(seed);
  }

  private int(n: number): number {
    return Math.floor(this.r() * n);
  }
  private chance(p: number): boolean {
    return this.r() < p;
  }
  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  private ascii(len: number, lo = 0x21, hi = 0x7e): string {
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(lo + this.int(hi - lo + 1));
    return s;
  }

  // ------------------------------------------------------------------ JSON-RPC values

  private id(): unknown {
    return this.pick<() => unknown>([
      () => this.int(1000),
      () => -this.int(1000),
      () => this.r() * 1e6,
      () => Number.MAX_SAFE_INTEGER,
      () => 1e308,
      () => `s-${this.int(1000)}`,
      () => '',
      () => 'é😀"\\\n',
      () => 'x'.repeat(this.int(2000)),
      () => null,
      () => ({}),
      () => [1],
      () => true,
    ])();
  }

  private methodName(): string {
    return this.pick([
      'ping',
      'ping',
      'tools/list',
      'tools/call',
      'tools/call',
      'tools/call',
      'resources/list',
      'resources/read',
      'resources/subscribe',
      'resources/unsubscribe',
      'resources/templates/list',
      'prompts/list',
      'prompts/get',
      'logging/setLevel',
      'completion/complete',
      'initialize',
      'server/discover',
      'subscriptions/listen',
      'rpc.discover',
      '',
      this.ascii(1 + this.int(40)),
    ]);
  }

  private toolCallParams(): Record<string, unknown> {
    return this.pick<Record<string, unknown>>([
      {
        name: 'echo',
        arguments: { text: this.pick(['hi', 'é😀', 'x'.repeat(this.int(20_000)), '\u0000\u2028']) },
      },
      { name: 'slow', arguments: { ms: this.int(200), steps: this.int(4) } },
      { name: 'log', arguments: { level: this.pick(['info', 'debug', 'bogus']), message: 'm' } },
      { name: 'noise', arguments: { lines: this.int(5) } },
      { name: 'garbage', arguments: { bytes: this.int(4096) } },
      { name: 'big', arguments: { bytes: this.int(50_000) } },
      { name: 'stderr', arguments: { lines: this.int(3) } },
      { name: 'client_info', arguments: {} },
      { name: 'notify_list_changed', arguments: { kind: this.pick(['tools', 'resources', 'nope']) } },
      { name: 'no-such-tool', arguments: {} },
      { name: 42, arguments: 'nope' },
      { arguments: {} },
    ]);
  }

  private params(method: string): unknown {
    if (this.chance(0.08)) return this.pick([null, 'str', [1, 2], 7, true]);
    let p: Record<string, unknown>;
    switch (method) {
      case 'tools/call':
        p = this.toolCallParams();
        break;
      case 'initialize':
        p = {
          protocolVersion: this.pick([
            '2024-11-05',
            '2025-03-26',
            '2025-06-18',
            '2025-11-25',
            '2099-01-01',
            7,
          ]),
          capabilities: this.pick([{}, null, 'x']),
          clientInfo: { name: 'fuzz', version: '1' },
        };
        break;
      case 'logging/setLevel':
        p = { level: this.pick(['debug', 'info', 'emergency', 'nope', 3]) };
        break;
      case 'resources/read':
      case 'resources/subscribe':
      case 'resources/unsubscribe':
        p = { uri: this.pick(['fixture://a', 'fixture://b', 'nope://', 1]) };
        break;
      case 'prompts/get':
        p = { name: this.pick(['greet', 'nope']), arguments: { name: 'x' } };
        break;
      default:
        p = {};
    }
    if (this.chance(0.3)) {
      const meta: Record<string, unknown> = {};
      if (this.chance(0.6)) meta['progressToken'] = this.id();
      if (this.chance(0.3)) {
        meta['io.modelcontextprotocol/protocolVersion'] = this.pick(['2026-07-28', '2025-06-18', 'x']);
        meta['io.modelcontextprotocol/clientCapabilities'] = this.pick([{}, null]);
      }
      p['_meta'] = this.chance(0.1) ? this.pick([null, 'm', [1]]) : meta;
    }
    return p;
  }

  /** One JSON-RPC-ish value: mostly well-formed, often subtly not. */
  private message(): unknown {
    const kind = this.int(10);
    if (kind < 5) {
      const method = this.methodName();
      const m: Record<string, unknown> = { jsonrpc: '2.0', id: this.id(), method };
      if (this.chance(0.9)) m['params'] = this.params(method);
      return this.mutate(m);
    }
    if (kind < 7) {
      const method = this.pick([
        'notifications/initialized',
        'notifications/cancelled',
        'notifications/progress',
        'notifications/roots/list_changed',
        'notifications/' + this.ascii(6),
      ]);
      const params =
        method === 'notifications/cancelled'
          ? { requestId: this.id(), reason: 'fuzz' }
          : method === 'notifications/progress'
            ? { progressToken: this.id(), progress: this.int(10) }
            : {};
      return this.mutate({ jsonrpc: '2.0', method, params });
    }
    if (kind < 9) {
      // A response the server never asked for (unknown id), or a malformed one.
      const r: Record<string, unknown> = { jsonrpc: '2.0', id: this.id() };
      if (this.chance(0.5)) r['result'] = this.pick([{}, null, 'x']);
      else r['error'] = this.pick([{ code: -1, message: 'no' }, { code: 'x' }, 'bad', null]);
      return this.mutate(r);
    }
    return this.pick([null, 42, 'str', true, [], {}, { jsonrpc: '2.0' }, { method: 'ping', id: 1 }]);
  }

  private mutate(m: Record<string, unknown>): Record<string, unknown> {
    if (!this.chance(0.15)) return m;
    const out = { ...m };
    switch (this.int(6)) {
      case 0:
        out['jsonrpc'] = this.pick(['1.0', 2, null, '2.0 ']);
        break;
      case 1:
        delete out['jsonrpc'];
        break;
      case 2:
        out['method'] = this.pick([42, null, ['ping']]);
        break;
      case 3:
        out['result'] = {};
        out['error'] = { code: 1, message: 'both' };
        break;
      case 4:
        out['extra'] = { nested: [1, { deeper: 'x' }] };
        break;
      default:
        delete out['id'];
    }
    return out;
  }

  // ------------------------------------------------------------------ bodies

  private body(): { text: Buffer; label: string } {
    const roll = this.int(100);
    if (roll < 55) {
      const v = this.message();
      return { text: Buffer.from(JSON.stringify(v) ?? 'undefined'), label: 'message' };
    }
    if (roll < 67) {
      const n = this.int(6);
      const items = Array.from({ length: n }, () => this.message());
      // Duplicate ids inside a batch.
      if (n > 1 && this.chance(0.5)) items.push(items[0]);
      return { text: Buffer.from(JSON.stringify(items)), label: `batch of ${items.length}` };
    }
    if (roll < 72) {
      const v = this.message();
      return { text: Buffer.from(JSON.stringify(v, null, 2) ?? ''), label: 'pretty-printed' };
    }
    if (roll < 78) {
      const depth = this.pick([100, 1000, 10_000, 100_000]);
      const inner = '['.repeat(depth) + ']'.repeat(depth);
      const where = this.pick(['params', 'id', 'top']);
      const text =
        where === 'params'
          ? `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"d","deep":${inner}}}}`
          : where === 'id'
            ? `{"jsonrpc":"2.0","id":${inner},"method":"ping"}`
            : inner;
      return { text: Buffer.from(text), label: `nesting ${depth} in ${where}` };
    }
    if (roll < 83) {
      const n = this.pick([
        '1e400',
        '-1e400',
        '123456789012345678901234567890',
        '1e-400',
        '-0',
        '0.1e1',
        '9007199254740993',
      ]);
      const text = this.pick([
        `{"jsonrpc":"2.0","id":${n},"method":"ping"}`,
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"n","n":${n}}}}`,
        `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"progressToken":${n}}}}`,
      ]);
      return { text: Buffer.from(text), label: `huge number ${n}` };
    }
    if (roll < 95) {
      // Not JSON, or not UTF-8.
      const valid = Buffer.from(JSON.stringify(this.message()) ?? '{}');
      const variant = this.int(10);
      let text: Buffer;
      if (variant === 0) text = valid.subarray(0, this.int(valid.length));
      else if (variant === 1)
        text = Buffer.concat([valid, Buffer.from(this.pick(['x', '}', ',', '\u0000']))]);
      else if (variant === 2) {
        text = Buffer.from(valid);
        if (text.length > 0) text[this.int(text.length)] = this.pick([0xff, 0xfe, 0xc3, 0x80, 0x00]);
      } else if (variant === 3) text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), valid]);
      else if (variant === 4)
        text = Buffer.from(this.pick(['', ' ', '\n', 'null', '42', '"s"', 'NaN', "{'a':1}", '{"a":1,}']));
      else if (variant === 5)
        text = Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping","params":{"s":"\\ud800\\udc00\\ud800"}}');
      else if (variant === 6) text = Buffer.from(Array.from({ length: this.int(2000) }, () => this.int(256)));
      else if (variant === 7)
        text = Buffer.from(
          `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":"${'\\u0000'.repeat(50)}"}}`,
        );
      else if (variant === 8) text = Buffer.from('{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}');
      else
        text = Buffer.from(
          `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"\xff\xfe"}}}`,
          'latin1',
        );
      return { text, label: `not JSON/UTF-8 #${variant}` };
    }
    if (roll < 97)
      return { text: Buffer.alloc(4 * 1024 * 1024 + 1 + this.int(1024), 0x20), label: 'over the body limit' };
    return { text: Buffer.alloc(0), label: 'empty' };
  }

  // ------------------------------------------------------------------ requests

  next(n: number, ctx: FuzzContext): FuzzCase {
    // Most cases get past the HTTP checks with a well-formed envelope, so that the bodies
    // reach sessions, the router and the server; the rest vary everything at once.
    return this.chance(0.65) ? this.deep(n, ctx) : this.wide(n, ctx);
  }

  /** A POST that passes Host, type and session checks; only its body is fuzzed. */
  private deep(n: number, ctx: FuzzContext): FuzzCase {
    const legacy = this.chance(0.2);
    const path = legacy ? `/messages?sessionId=${encodeURIComponent(ctx.legacySession)}` : '/mcp';
    const s = this.pick(ctx.sessions);
    const headers: [string, string][] = [
      ...keyHeader(ctx),
      ['Host', `127.0.0.1:${ctx.port}`],
      ['Content-Type', 'application/json'],
      ['Accept', this.pick(['application/json, text/event-stream', 'application/json', 'text/event-stream'])],
    ];
    if (!legacy) headers.push(['Mcp-Session-Id', s.id], ['MCP-Protocol-Version', s.version]);
    headers.push(['Connection', 'close']);
    const { text: body, label } = this.body();
    const chunked = this.chance(0.15);
    headers.push(chunked ? ['Transfer-Encoding', 'chunked'] : ['Content-Length', String(body.length)]);
    const payload = chunked ? this.chunked(body) : body;
    const head = `POST ${path} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
    return {
      n,
      label: `deep POST ${legacy ? '/messages' : '/mcp'} [${chunked ? 'chunked' : 'cl'}] ${label}`,
      method: 'POST',
      path,
      bytes: Buffer.concat([Buffer.from(head, 'latin1'), payload]),
      ...(legacy ? {} : { session: s.id }),
    };
  }

  private chunked(body: Buffer): Buffer {
    const parts: Buffer[] = [];
    for (let i = 0; i < body.length;) {
      const size = 1 + this.int(Math.max(1, Math.min(body.length - i, 65_536)));
      parts.push(Buffer.from(`${size.toString(16)}\r\n`), body.subarray(i, i + size), Buffer.from('\r\n'));
      i += size;
    }
    parts.push(Buffer.from('0\r\n\r\n'));
    return Buffer.concat(parts);
  }

  /** Everything varies: method, path, every header, framing and body. */
  private wide(n: number, ctx: FuzzContext): FuzzCase {
    const port = ctx.port;
    const method = this.pick([
      'POST',
      'POST',
      'POST',
      'POST',
      'POST',
      'POST',
      'GET',
      'GET',
      'DELETE',
      'OPTIONS',
      'PUT',
      'PATCH',
      'HEAD',
      'TRACE',
      'FOO',
      'post',
      'CONNECT',
    ]);
    const path = this.pick([
      '/mcp',
      '/mcp',
      '/mcp',
      '/mcp',
      '/mcp',
      '/mcp/',
      '/sse',
      '/messages',
      `/messages?sessionId=${encodeURIComponent(ctx.legacySession)}`,
      `/messages?sessionId=${encodeURIComponent(ctx.legacySession)}`,
      `/messages?sessionId=${this.ascii(8)}`,
      '/messages?sessionId=',
      '/',
      '/mcp?x=1',
      '//mcp',
      '/%2e%2e/mcp',
      '/mcp%00',
      '*',
      'http://evil.example/mcp',
      `/${'a'.repeat(5000)}`,
    ]);
    const target = method === 'CONNECT' ? `127.0.0.1:${port}` : path;
    const headers: [string, string][] = keyHeader(ctx);
    const hostRoll = this.r();
    if (hostRoll < 0.88) headers.push(['Host', `127.0.0.1:${port}`]);
    else if (hostRoll < 0.97)
      headers.push([
        'Host',
        this.pick([
          `localhost:${port}`,
          `[::1]:${port}`,
          'evil.example',
          '127.0.0.1:1',
          '',
          `LOCALHOST:${port}`,
        ]),
      ]);
    if (this.chance(0.15))
      headers.push([
        'Origin',
        this.pick([
          `http://localhost:${port}`,
          'http://evil.example',
          'null',
          '',
          `http://127.0.0.1:${port}`,
        ]),
      ]);
    if (this.chance(0.85))
      headers.push([
        'Content-Type',
        this.pick([
          'application/json',
          'application/json',
          'application/json',
          'application/json; charset=utf-8',
          'text/plain',
          '',
          'application/jsonx',
          'APPLICATION/JSON',
          'multipart/form-data; boundary=x',
        ]),
      ]);
    if (this.chance(0.9))
      headers.push([
        'Accept',
        this.pick([
          'application/json, text/event-stream',
          'application/json, text/event-stream',
          'application/json',
          'text/event-stream',
          '*/*',
          'text/html',
          'application/*;q=0.1',
          '',
        ]),
      ]);
    let session: string | undefined;
    let version: string | undefined;
    const sRoll = this.r();
    if (sRoll < 0.6 && ctx.sessions.length > 0) {
      const s = this.pick(ctx.sessions);
      session = s.id;
      version = s.version;
      headers.push(['Mcp-Session-Id', s.id]);
    } else if (sRoll < 0.7) headers.push(['Mcp-Session-Id', this.ascii(1 + this.int(60))]);
    else if (sRoll < 0.73) headers.push(['Mcp-Session-Id', '']);
    else if (sRoll < 0.75 && ctx.sessions.length > 1) {
      headers.push(['Mcp-Session-Id', ctx.sessions[0]!.id], ['Mcp-Session-Id', ctx.sessions[1]!.id]);
    }
    if (this.chance(0.6))
      headers.push([
        'MCP-Protocol-Version',
        this.chance(0.6) && version
          ? version
          : this.pick(['2099-01-01', 'garbage', '2026-07-28', '', '2025-03-26']),
      ]);
    if (method === 'GET' && this.chance(0.4))
      headers.push([
        'Last-Event-ID',
        this.pick([
          'p1.1',
          'g.0',
          'g.999999',
          '.',
          'x',
          'p1.-1',
          '9'.repeat(400),
          `p${this.int(9)}.${this.int(50)}`,
          'g.1e3',
        ]),
      ]);
    if (this.chance(0.05))
      headers.push([
        'Mcp-Method',
        this.pick(['tools/call', '=?base64?dG9vbHMvY2FsbA==?=', '=?base64?%%%?=']),
      ]);
    if (this.chance(0.05)) headers.push(['Authorization', this.pick(['Bearer x', 'Basic Zm9v', ''])]);
    if (this.chance(0.05)) headers.push(['X-Fuzz', this.ascii(1 + this.int(200), 0x20, 0x7e)]);
    if (this.chance(0.01)) headers.push(['X-Bad', `a${String.fromCharCode(this.pick([0x01, 0x7f]))}b`]);
    if (this.chance(0.01)) headers.push(['X-Huge', 'h'.repeat(20_000)]);
    if (this.chance(0.02)) headers.push(['Expect', '100-continue']);
    // Mostly one request per connection; now and then a WebSocket upgrade nobody serves.
    if (this.chance(0.02)) headers.push(['Upgrade', 'websocket'], ['Connection', 'Upgrade']);
    else headers.push(['Connection', 'close']);

    const hasBody = method === 'POST' || method === 'post' || this.chance(0.1);
    const { text: body, label } = hasBody ? this.body() : { text: Buffer.alloc(0), label: 'no body' };
    const framing = hasBody
      ? this.pick(['cl', 'cl', 'cl', 'cl', 'cl', 'chunked', 'chunked', 'short', 'both'])
      : 'none';
    let payload: Buffer = Buffer.alloc(0);
    if (framing === 'cl' || framing === 'both') headers.push(['Content-Length', String(body.length)]);
    if (framing === 'short')
      headers.push(['Content-Length', String(Math.max(0, body.length - 1 - this.int(10)))]);
    if (framing === 'chunked' || framing === 'both') {
      headers.push(['Transfer-Encoding', 'chunked']);
      payload = this.chunked(body);
    } else if (framing !== 'none') payload = body;
    const head = `${method} ${target} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
    return {
      n,
      label: `${method} ${target.slice(0, 80)} [${framing}] ${label}`,
      method,
      path,
      bytes: Buffer.concat([Buffer.from(head, 'latin1'), payload]),
      ...(session ? { session } : {}),
    };
  }
}

/** The key as the first Authorization header (node keeps the first of duplicates); no RNG draw. */
function keyHeader(ctx: FuzzContext): [string, string][] {
  return ctx.key === undefined ? [] : [['Authorization', `Bearer ${ctx.key}`]];
}
