import { isDeepStrictEqual } from 'node:util';
import {
  applyEdits,
  findNodeAtLocation,
  format,
  type FormattingOptions,
  modify,
  type Node,
  parse,
  type ParseError,
  type ParseOptions,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import { ErrorCode, PatchbayError } from '../errors';
import { type EntryObject, isRecord } from './client-entries';

/** A JSON or JSONC config file's text, split from its byte-order mark. */
interface JsonDoc {
  bom: string;
  body: string;
}

const parseOptions = (strict: boolean): ParseOptions =>
  strict ? { disallowComments: true, allowTrailingComma: false } : { allowTrailingComma: true };

/**
 * Parses a config file's text into its top-level object. `strict` for files the client reads
 * with JSON.parse: comments there would break the client, so we do not accept them either.
 * Throws `PatchbayError(InvalidArgument)` saying where the file is broken.
 */
export function parseJsonConfig(text: string, strict: boolean): Record<string, unknown> {
  const { body } = splitBom(text);
  // Cursor and VS Code create an empty file when the user first opens the MCP config.
  if (body.trim() === '') return {};
  const errors: ParseError[] = [];
  const value: unknown = parse(body, errors, parseOptions(strict));
  const first = errors[0];
  if (first !== undefined) {
    const { line, column } = position(body, first.offset);
    throw invalidFile(
      `not valid JSON: ${printParseErrorCode(first.error)} at line ${line}, column ${column}`,
    );
  }
  if (!isRecord(value)) throw invalidFile('expected a JSON object at the top level');
  return value;
}

/** The object at `container` in a parsed file; `undefined` when absent, an error when not an object. */
export function containerOf(
  root: Record<string, unknown>,
  container: string[],
): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const key of container) {
    if (!isRecord(node)) return undefined;
    node = node[key];
    if (node === undefined) return undefined;
    if (!isRecord(node)) throw invalidFile(`"${container.join('.')}" is not an object`);
  }
  return isRecord(node) ? node : undefined;
}

/**
 * Sets (`value`) or removes (`undefined`) the entry `name` inside `container`, changing only
 * that entry's text: comments, other entries, indentation and line endings stay as they were.
 * The result is parsed again and must equal the intended object, or the edit is not used.
 */
export function editJsonEntry(
  text: string | undefined,
  strict: boolean,
  container: string[],
  name: string,
  value: EntryObject | undefined,
): string {
  const { bom, body } = splitBom(text ?? '');
  const path = [...container, name];
  if (body.trim() === '') {
    if (value === undefined) return text ?? '';
    const fresh = applyEdits('{}', modify('{}', path, value, { formattingOptions: NEW_FILE_FORMAT }));
    return bom + fresh + '\n';
  }

  const root = parseJsonConfig(body, strict);
  containerOf(root, container);
  const expected = structuredClone(root);
  setPath(expected, path, value);
  const fmt = detectFormatting(body);
  const matches = (candidate: string): boolean => {
    const errors: ParseError[] = [];
    const parsed: unknown = parse(candidate, errors, parseOptions(strict));
    return errors.length === 0 && isDeepStrictEqual(parsed, expected);
  };

  const precise =
    value === undefined ? removeLines(body, path, strict) : insertFormatted(body, path, value, fmt);
  if (precise !== undefined && matches(precise)) return bom + precise;
  // Unusual layouts (a property sharing its line, commas on the next line): let jsonc-parser
  // reformat the lines around the edit. Still only this object changes meaning.
  const fallback = applyEdits(body, modify(body, path, value, { formattingOptions: fmt }));
  if (matches(fallback)) return bom + fallback;
  throw new PatchbayError(
    ErrorCode.Internal,
    `could not edit "${path.join('.')}" without changing other settings`,
  );
}

const NEW_FILE_FORMAT: FormattingOptions = { tabSize: 2, insertSpaces: true, eol: '\n' };

/**
 * jsonc-parser's own formatting reflows whole lines around an edit, so an entry written on one
 * line next to ours would be reformatted too. Instead: the raw edit, then formatting of only the
 * inserted text. A file written on one line stays on one line.
 */
function insertFormatted(body: string, path: string[], value: EntryObject, fmt: FormattingOptions): string {
  const edits = modify(body, path, value, {});
  let out = applyEdits(body, edits);
  if (!body.includes('\n')) return out;
  // modify yields one edit for a set; format each inserted span, last first so offsets hold.
  let shift = 0;
  const spans = edits.map((e) => {
    const span = { offset: e.offset + shift, length: e.content.length };
    shift += e.content.length - e.length;
    return span;
  });
  for (const span of spans.reverse()) out = applyEdits(out, format(out, span, fmt));
  return out;
}

/**
 * Removes a property that sits on lines of its own, lines and all (with a comment trailing it
 * on its last line), and the comma the previous property no longer needs. `undefined` when the
 * property shares a line with something else.
 */
function removeLines(body: string, path: string[], strict: boolean): string | undefined {
  const tree = parseTree(body, [], parseOptions(strict));
  const valueNode = tree === undefined ? undefined : findNodeAtLocation(tree, path);
  const prop = valueNode?.parent;
  if (prop?.type !== 'property' || prop.parent === undefined) return body;
  const siblings: Node[] = prop.parent.children ?? [];
  const index = siblings.indexOf(prop);
  const start = prop.offset;
  const end = prop.offset + prop.length;
  const lineStart = body.lastIndexOf('\n', start - 1) + 1;
  if (body.slice(lineStart, start).trim() !== '') return undefined;
  const tail = /^[ \t]*(,)?[ \t]*(\/\/[^\r\n]*)?(\r?\n|$)/.exec(body.slice(end));
  if (tail === null) return undefined;
  const hasComma = tail[1] !== undefined;
  const isLast = index === siblings.length - 1;
  if (!isLast && !hasComma) return undefined;
  let out = body.slice(0, lineStart) + body.slice(end + tail[0].length);
  const previous = siblings[index - 1];
  if (isLast && !hasComma && previous !== undefined) {
    const comma = commaAfter(body, previous.offset + previous.length, lineStart);
    if (comma === undefined) return undefined;
    out = out.slice(0, comma) + out.slice(comma + 1);
  }
  return out;
}

/** The offset of the first comma in body[from, to) outside comments. */
function commaAfter(body: string, from: number, to: number): number | undefined {
  for (let i = from; i < to; i++) {
    const c = body[i];
    if (c === ',') return i;
    if (c === '/' && body[i + 1] === '/') {
      const eol = body.indexOf('\n', i);
      i = eol === -1 ? to : eol;
    } else if (c === '/' && body[i + 1] === '*') {
      const close = body.indexOf('*/', i + 2);
      i = close === -1 ? to : close + 1;
    } else if (c !== undefined && !/\s/.test(c)) {
      return undefined;
    }
  }
  return undefined;
}

/** The file's own indentation and line ending, so inserted lines look like their neighbours. */
export function detectFormatting(body: string): FormattingOptions {
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)\S/m.exec(body)?.[1];
  if (indent === undefined) return { ...NEW_FILE_FORMAT, eol };
  if (indent.startsWith('\t')) return { tabSize: 1, insertSpaces: false, eol };
  return { tabSize: indent.length, insertSpaces: true, eol };
}

function setPath(root: Record<string, unknown>, path: string[], value: EntryObject | undefined): void {
  let node: Record<string, unknown> = root;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (isRecord(next)) {
      node = next;
    } else {
      if (value === undefined) return;
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  const last = path[path.length - 1] ?? '';
  if (value === undefined) delete node[last];
  else node[last] = value;
}

function splitBom(text: string): JsonDoc {
  // Notepad and some Windows tools save with a byte-order mark, which is not JSON; keep it.
  return text.startsWith('\uFEFF') ? { bom: '\uFEFF', body: text.slice(1) } : { bom: '', body: text };
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

export function invalidFile(message: string): PatchbayError {
  return new PatchbayError(ErrorCode.InvalidArgument, message);
}
