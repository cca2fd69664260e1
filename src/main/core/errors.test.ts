import { describe, expect, it } from 'vitest';
import { ErrorCode, PatchbayError, toPatchbayError } from './errors';

describe('PatchbayError', () => {
  it('serializes to the boundary shape without stack or cause', () => {
    const err = new PatchbayError(ErrorCode.PortInUse, 'Port 7301 is used by another program', {
      cause: new Error('EADDRINUSE'),
    });
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      code: 'port_in_use',
      message: 'Port 7301 is used by another program',
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('PatchbayError');
  });

  it('wraps foreign errors and keeps them as cause', () => {
    const original = new TypeError('boom');
    const wrapped = toPatchbayError(original);
    expect(wrapped.code).toBe(ErrorCode.Internal);
    expect(wrapped.message).toBe('boom');
    expect(wrapped.cause).toBe(original);
    expect(toPatchbayError(wrapped)).toBe(wrapped);
    expect(toPatchbayError('text', ErrorCode.SpawnFailed).code).toBe(ErrorCode.SpawnFailed);
  });
});
