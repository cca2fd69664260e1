/**
 * Replaces secret values (bearer tokens, env values marked secret) wherever they appear
 * in text bound for frames, logs or the UI.
 */
export class Redactor {
  private secrets: string[] = [];

  /** Sets the values to hide; very short values are ignored (they would mask ordinary text). */
  setSecrets(values: Iterable<string>): void {
    const needles = new Set<string>();
    for (const v of values) if (v.length >= 4) for (const form of wireForms(v)) needles.add(form);
    this.secrets = [...needles].sort((a, b) => b.length - a.length);
  }

  get active(): boolean {
    return this.secrets.length > 0;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    return out;
  }
}

/**
 * The ways a value shows up in frame text: as is; JSON-escaped once (a server that echoes
 * it in a result) or twice (JSON inside a JSON string, e.g. a tool returning
 * JSON.stringify(obj)); and with non-ASCII as \u escapes (Python's json.dumps default).
 * A value with a quote, backslash or é in it was not redacted from frames before this.
 */
function wireForms(value: string): string[] {
  const once = JSON.stringify(value).slice(1, -1);
  const twice = JSON.stringify(once).slice(1, -1);
  const forms = [value, once, twice];
  for (const f of [once, twice]) {
    const ascii = f.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    forms.push(ascii);
  }
  return forms;
}
