import { describe, expect, it } from 'vitest';
import { capabilitiesKey, legacyParams, modernError, modernResult } from './modern-results';

const INFO = { name: 's', version: '1' };

describe('modernResult', () => {
  it('adds resultType and serverInfo, keeping the legacy fields and _meta', () => {
    expect(modernResult('tools/call', { content: [], _meta: { k: 1 } }, INFO)).toEqual({
      content: [],
      resultType: 'complete',
      _meta: { k: 1, 'io.modelcontextprotocol/serverInfo': INFO },
    });
  });
  it('adds ttlMs and cacheScope to cacheable results only, never overriding the server', () => {
    expect(modernResult('tools/list', { tools: [] }, INFO)).toMatchObject({
      ttlMs: 0,
      cacheScope: 'private',
    });
    expect(modernResult('resources/read', { contents: [], ttlMs: 5 }, INFO)).toMatchObject({ ttlMs: 5 });
    expect(modernResult('tools/call', {}, INFO)).not.toHaveProperty('ttlMs');
  });
});

describe('legacyParams', () => {
  it('drops the envelope and MRTR fields, maps the progress token', () => {
    const params = legacyParams(
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'x',
          requestState: 's',
          inputResponses: {},
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            progressToken: 7,
            traceparent: 't',
          },
        },
      },
      'bridge-1',
    );
    expect(params).toEqual({ name: 'x', _meta: { traceparent: 't', progressToken: 'bridge-1' } });
  });
});

describe('capabilitiesKey', () => {
  it('ignores key order', () => {
    expect(capabilitiesKey({ a: 1, b: { d: 1, c: 2 } })).toBe(capabilitiesKey({ b: { c: 2, d: 1 }, a: 1 }));
  });
});

describe('modernError', () => {
  it("words resources/read's 2025 not-found (-32002) as 2026-07-28 does (-32602), nothing else", () => {
    const notFound = { code: -32002, message: 'Resource not found', data: { uri: 'x://y' } };
    expect(modernError('resources/read', notFound)).toEqual({ ...notFound, code: -32602 });
    expect(modernError('tools/call', notFound)).toBe(notFound);
    expect(modernError('resources/read', { code: -32603, message: 'boom' })).toEqual({
      code: -32603,
      message: 'boom',
    });
  });
});
