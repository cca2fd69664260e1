import { isDeepStrictEqual } from 'node:util';
import { parse, stringify, TomlError } from 'smol-toml';
import { type EntryObject, type EntryValue, isRecord } from './client-entries';
import { invalidFile } from './json-config-edit';

/** Parses config.toml; throws `PatchbayError(InvalidArgument)` saying where it is broken. */
export function parseTomlConfig(text: string): Record<string, unknown> {
  try {
    return parse(text);
  } catch (err) {
    if (err instanceof TomlError) {
      const what = err.message.split('\n')[0] ?? 'invalid';
      throw invalidFile(`not valid TOML: ${what} (line ${err.line}, column ${err.column})`);
    }
    throw err;
  }
}

/** What an edit produced; `formatKept` is false when the file had to be rewritten whole. */
export interface TomlEdit {
  text: string;
  formatKept: boolean;
}

/**
 * Sets (`value`) or removes (`undefined`) the table `[<table>.<name>]`. smol-toml cannot edit
 * in place, so this works on the text: the entry's own tables are cut out and the new table
 * appended, leaving every other line as it was. The result is parsed and must equal the
 * intended document; when it does not (the entry written inline, a multi-line string that
 * looks like a header), the document is rewritten from its parsed form instead, which keeps
 * every setting but not the comments.
 */
export function editTomlEntry(
  text: string | undefined,
  table: string,
  name: string,
  value: EntryObject | undefined,
): TomlEdit {
  const original = text ?? '';
  const root = parseTomlConfig(original);
  const servers = root[table];
  if (servers !== undefined && !isRecord(servers)) throw invalidFile(`"${table}" is not a table`);

  const expected = parseTomlConfig(original);
  setEntry(expected, table, name, value);
  const matches = (candidate: string): boolean => {
    try {
      return isDeepStrictEqual(comparable(parse(candidate), table), comparable(expected, table));
    } catch {
      return false;
    }
  };

  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const cut = cutTables(original, table, name);
  let edited = cut.text;
  if (value !== undefined) {
    const block = tomlEntryBlock(table, name, value).replace(/\n/g, eol);
    // An update goes where the entry was; a new entry goes at the end.
    edited =
      cut.at === undefined || cut.at >= edited.length
        ? appendBlock(edited, block, eol)
        : edited.slice(0, cut.at) + block + eol + edited.slice(cut.at);
  }
  if (matches(edited)) return { text: edited, formatKept: true };
  return { text: stringify(expected) + '\n', formatKept: false };
}

/** `[table.name]` with one `key = value` line per field; nested tables written inline. */
export function tomlEntryBlock(table: string, name: string, value: EntryObject): string {
  const lines = [`[${tomlKey(table)}.${tomlKey(name)}]`];
  for (const [key, field] of Object.entries(value)) lines.push(`${tomlKey(key)} = ${tomlValue(field)}`);
  return lines.join('\n') + '\n';
}

function tomlValue(value: EntryValue): string {
  if (typeof value === 'string') return tomlString(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(', ')}]`;
  const fields = Object.entries(value).map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`);
  return fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

/** A TOML basic string: JSON's escapes are TOML's, plus DEL, which TOML does not allow raw. */
export function tomlString(value: string): string {
  return JSON.stringify(value).replace(/\u007f/g, '\\u007F');
}

/**
 * Removes `[table.name]` and its sub-tables (`[table.name.env]`, …), each with its lines up to
 * the next header; `at` is where the first one began.
 */
function cutTables(text: string, table: string, name: string): { text: string; at?: number } {
  const lines = text.split(/(?<=\n)/);
  const owned = (keys: string[] | undefined): boolean =>
    keys !== undefined && keys[0] === table && keys[1] === name;
  let out = '';
  let at: number | undefined;
  let cutEnd = false;
  for (let i = 0; i < lines.length;) {
    const line = lines[i] ?? '';
    if (!owned(headerKeys(line))) {
      out += line;
      i++;
      continue;
    }
    at ??= out.length;
    let end = i + 1;
    while (end < lines.length && headerKeys(lines[end] ?? '') === undefined) end++;
    // Comments right above the next header describe that table: they stay.
    let keep = end;
    while (keep - 1 > i && end < lines.length && isComment(lines[keep - 1] ?? '')) keep--;
    out += lines.slice(keep, end).join('');
    cutEnd = end === lines.length;
    i = end;
  }
  // Cut at the end of the file: do not leave the blank line that separated it.
  if (cutEnd) out = out.replace(/(\r?\n)(?:[ \t]*\r?\n)+$/, '$1');
  return at === undefined ? { text: out } : { text: out, at: Math.min(at, out.length) };
}

function appendBlock(text: string, block: string, eol: string): string {
  if (text.trim() === '') return block;
  const base = text.endsWith('\n') ? text : text + eol;
  return base + (/\n\s*\n$/.test(base) ? '' : eol) + block;
}

/**
 * The dotted key of a table header line (`[a.b]`, `[ a . "b c" ]`) or array-of-tables line
 * (`[[a.b]]`); `undefined` for any other line.
 */
export function headerKeys(line: string): string[] | undefined {
  const m = /^[ \t]*(\[\[?)([^\r\n]*)/.exec(line);
  if (m === null) return undefined;
  const close = m[1] === '[[' ? ']]' : ']';
  const rest = m[2] ?? '';
  const keys: string[] = [];
  let i = 0;
  const skip = (): void => {
    while (rest[i] === ' ' || rest[i] === '\t') i++;
  };
  for (;;) {
    skip();
    const c = rest[i];
    let key: string | undefined;
    if (c === '"') {
      const m2 = /^"(?:[^"\\]|\\.)*"/.exec(rest.slice(i));
      if (m2 === null) return undefined;
      try {
        key = JSON.parse(m2[0]) as string;
      } catch {
        return undefined;
      }
      i += m2[0].length;
    } else if (c === "'") {
      const endQuote = rest.indexOf("'", i + 1);
      if (endQuote === -1) return undefined;
      key = rest.slice(i + 1, endQuote);
      i = endQuote + 1;
    } else {
      const m2 = /^[A-Za-z0-9_-]+/.exec(rest.slice(i));
      if (m2 === null) return undefined;
      key = m2[0];
      i += key.length;
    }
    keys.push(key);
    skip();
    if (rest[i] === '.') {
      i++;
      continue;
    }
    if (!rest.startsWith(close, i)) return undefined;
    const after = rest.slice(i + close.length).trim();
    return after === '' || after.startsWith('#') ? keys : undefined;
  }
}

function isComment(line: string): boolean {
  return line.trimStart().startsWith('#');
}

function setEntry(
  root: Record<string, unknown>,
  table: string,
  name: string,
  value: EntryObject | undefined,
): void {
  const servers = root[table];
  if (value === undefined) {
    if (isRecord(servers)) delete servers[name];
    return;
  }
  if (isRecord(servers)) servers[name] = value;
  else root[table] = { [name]: value };
}

/**
 * A parsed document in a form deep equality can compare: smol-toml builds null-prototype
 * objects and TomlDate values; an emptied `[table]` and no table at all mean the same.
 */
function comparable(doc: unknown, table: string): unknown {
  const plain = (v: unknown): unknown => {
    if (v instanceof Date) return { date: v.toISOString() };
    if (typeof v === 'bigint') return { bigint: v.toString() };
    if (Array.isArray(v)) return v.map(plain);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    }
    return v;
  };
  const out = plain(doc) as Record<string, unknown>;
  const servers = out[table];
  if (isRecord(servers) && Object.keys(servers).length === 0) delete out[table];
  return out;
}
