import { describe, expect, it } from 'vitest';
import { detectLevel } from './log-level';

describe('detectLevel', () => {
  it('reads level words in the usual places', () => {
    expect(detectLevel('[ERROR] could not open file')).toBe('error');
    expect(detectLevel('2024-05-01T10:00:00Z WARN slow response')).toBe('warn');
    expect(detectLevel('level=info msg="listening"')).toBe('info');
    expect(detectLevel('DEBUG: payload {}')).toBe('debug');
    expect(detectLevel('Traceback (most recent call last):')).toBe('error');
  });

  it('takes the first level word, not the worst', () => {
    expect(detectLevel('INFO retrying after error')).toBe('info');
  });

  it('does not read levels inside other words', () => {
    expect(detectLevel('connected, 0 errors so far')).toBeUndefined();
    expect(detectLevel('information superhighway')).toBeUndefined();
    expect(detectLevel('server started on stdio')).toBeUndefined();
  });

  it('reads JSON level fields, named or numeric', () => {
    expect(detectLevel('{"level":"warn","msg":"error budget low"}')).toBe('warn');
    expect(detectLevel('{"severity":"ERROR","message":"x"}')).toBe('error');
    expect(detectLevel('{"level":30,"msg":"up"}')).toBe('info');
    expect(detectLevel('{"level":50,"msg":"down"}')).toBe('error');
    expect(detectLevel('{"level":20}')).toBe('debug');
  });

  it('reads the level of a JSON line cut short or with text after it', () => {
    expect(detectLevel('{"level":50,"msg":"boom"} 1')).toBe('error');
    expect(detectLevel('{"time":1,"level":"warn","msg":"xxxxxxxx… [2000 more chars]')).toBe('warn');
  });

  it('falls back to words when the JSON has no level or does not parse', () => {
    expect(detectLevel('{"msg":"fine"}')).toBeUndefined();
    expect(detectLevel('{not json} error here')).toBe('error');
    expect(detectLevel('{"level":"loud","msg":"warning"}')).toBe('warn');
  });
});
