import { describe, expect, it } from 'vitest';
import { Redactor } from './redactor';

describe('Redactor', () => {
  const redactor = new Redactor();
  const secret = 'p"a\\ss-wörd';
  redactor.setSecrets([secret, 'abc']);

  it('hides the value as is, and ignores values too short to be secrets', () => {
    expect(redactor.redact(`key=${secret}; abc`)).toBe('key=[redacted]; abc');
  });

  it('hides it JSON-escaped once and twice, as servers echo it on the wire', () => {
    const once = JSON.stringify({ text: secret });
    const twice = JSON.stringify({ text: once });
    expect(redactor.redact(once)).toBe('{"text":"[redacted]"}');
    expect(redactor.redact(twice)).not.toContain('a\\\\\\\\ss');
    expect(redactor.redact(twice)).toContain('[redacted]');
  });

  it('hides it with non-ASCII written as \\u escapes (Python json.dumps)', () => {
    expect(redactor.redact('{"text":"p\\"a\\\\ss-w\\u00f6rd"}')).toBe('{"text":"[redacted]"}');
  });
});
