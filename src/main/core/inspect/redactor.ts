/** JSON string escapes nest this deep at most in what we redact (JSON in JSON in JSON). */
const ESCAPE_LEVELS = 3;
const ESCAPE = /\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])/g;
const SIMPLE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Replaces secret values (bearer tokens, env values marked secret) wherever they appear
 * in text bound for frames, logs or the UI — also JSON-escaped in any way (`\u0056` for
 * `V`, escaped quotes and backslashes), up to three levels deep.
 */
export class Redactor {
  private secrets: string[] = [];
  private raw: string[] = [];

  /** Sets the values to hide; very short values are ignored (they would mask ordinary text). */
  setSecrets(values: Iterable<string>): void {
    const needles = new Set<string>();
    const raw = new Set<string>();
    for (const v of values) {
      if (v.length < 4) continue;
      raw.add(v);
      for (const form of wireForms(v)) needles.add(form);
    }
    this.secrets = [...needles].sort((a, b) => b.length - a.length);
    this.raw = [...raw].sort((a, b) => b.length - a.length);
  }

  get active(): boolean {
    return this.secrets.length > 0;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    // The usual forms are gone; any other escaping of a secret needs the text decoded.
    return out.includes('\\') && this.raw.length > 0 ? this.redactEscaped(out) : out;
  }

  /**
   * Decodes JSON string escapes level by level; where a decoded level holds a secret, the
   * stretch of the original text it came from is replaced. The cheap check (decode, then
   * `includes`) runs first: maps back to the original are built only on a hit.
   */
  private redactEscaped(text: string): string {
    let level = text;
    let hit = false;
    for (let depth = 0; depth < ESCAPE_LEVELS && level.includes('\\'); depth++) {
      level = level.replace(ESCAPE, decodeEscape);
      if (this.raw.some((s) => level.includes(s))) {
        hit = true;
        break;
      }
    }
    if (!hit) return text;

    // Where each unit of the current level came from in `text`: [from[i], to[i]).
    let units = text;
    let from = Array.from({ length: text.length }, (_, i) => i);
    let to = from.map((i) => i + 1);
    const spans: [number, number][] = [];
    for (let depth = 0; depth <= ESCAPE_LEVELS; depth++) {
      for (const secret of this.raw) {
        for (let at = units.indexOf(secret); at !== -1; at = units.indexOf(secret, at + secret.length)) {
          spans.push([from[at]!, to[at + secret.length - 1]!]);
        }
      }
      if (depth === ESCAPE_LEVELS || !units.includes('\\')) break;
      const next = decodeWithMap(units, from, to);
      ({ units, from, to } = next);
    }
    return replaceSpans(text, spans);
  }
}

function decodeEscape(escape: string): string {
  const c = escape[1]!;
  if (c === 'u') return String.fromCharCode(parseInt(escape.slice(2), 16));
  return SIMPLE[c] ?? c;
}

/** One level of escapes decoded, each unit still knowing its stretch of the original. */
function decodeWithMap(units: string, from: number[], to: number[]) {
  let out = '';
  const nextFrom: number[] = [];
  const nextTo: number[] = [];
  let i = 0;
  ESCAPE.lastIndex = 0;
  for (let m = ESCAPE.exec(units); m !== null; m = ESCAPE.exec(units)) {
    for (; i < m.index; i++) {
      out += units[i];
      nextFrom.push(from[i]!);
      nextTo.push(to[i]!);
    }
    out += decodeEscape(m[0]);
    nextFrom.push(from[m.index]!);
    nextTo.push(to[m.index + m[0].length - 1]!);
    i = m.index + m[0].length;
  }
  for (; i < units.length; i++) {
    out += units[i];
    nextFrom.push(from[i]!);
    nextTo.push(to[i]!);
  }
  return { units: out, from: nextFrom, to: nextTo };
}

/** `text` with each span (merged where they overlap) replaced by `[redacted]`. */
function replaceSpans(text: string, spans: [number, number][]): string {
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    if (start >= at) out += `${text.slice(at, start)}[redacted]`;
    at = end;
  }
  return out + text.slice(at);
}

/**
 * The ways a value shows up in frame text: as is; JSON-escaped once (a server that echoes
 * it in a result) or twice (JSON inside a JSON string, e.g. a tool returning
 * JSON.stringify(obj)); and with non-ASCII as \u escapes (Python's json.dumps default).
 * These are replaced without decoding anything; other escapings go through redactEscaped.
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
