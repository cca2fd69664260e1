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

  it('hides it however it is JSON-escaped: every character as \\u, mixed, \\/, up to three levels', () => {
    const r = new Redactor();
    const token = 'VeryS3cret/Token"x';
    r.setSecrets([token]);
    const allU = [...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    expect(r.redact(`{"t":"${allU}"}`)).toBe('{"t":"[redacted]"}');
    const mixed = 'V\\u0065ryS3cret\\/Token\\"x';
    expect(r.redact(`{"t":"a ${mixed} b"}`)).toBe('{"t":"a [redacted] b"}');
    // Bare, outside any JSON string (a stderr line), and nested twice more.
    expect(r.redact(`log: ${allU}!`)).toBe('log: [redacted]!');
    const nested = JSON.stringify(JSON.stringify({ t: allU }));
    expect(r.redact(nested)).toContain('[redacted]');
    expect(r.redact(nested)).not.toMatch(/u0056|VeryS3cret/);
    // Text around it is kept byte for byte, and escapes that hide nothing are left alone.
    expect(r.redact('{"a":"\\u00e9\\n","b":"x"}')).toBe('{"a":"\\u00e9\\n","b":"x"}');
  });
});
