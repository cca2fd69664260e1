import { describe, expect, it } from 'vitest';
import { isAllowedHost } from './host-check';

describe('isAllowedHost', () => {
  it('accepts loopback names with our port', () => {
    expect(isAllowedHost('127.0.0.1:7300', 7300)).toBe(true);
    expect(isAllowedHost('LOCALHOST:7300', 7300)).toBe(true);
    expect(isAllowedHost('[::1]:7300', 7300)).toBe(true);
  });

  it('refuses other names, other ports and a missing header', () => {
    expect(isAllowedHost('evil.example:7300', 7300)).toBe(false);
    expect(isAllowedHost('127.0.0.1:7301', 7300)).toBe(false);
    expect(isAllowedHost('127.0.0.1', 7300)).toBe(false);
    expect(isAllowedHost('localhost.evil.example:7300', 7300)).toBe(false);
    expect(isAllowedHost(undefined, 7300)).toBe(false);
  });
});
