import type { JsonSchema } from '@shared/tools';

/** How one schema node is drawn; `json` is the raw-JSON fallback for what the form cannot draw. */
export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'object' | 'array' | 'json';

/** The kind of input for a schema node. */
export function fieldKind(schema: JsonSchema | undefined): FieldKind {
  if (!schema || typeof schema !== 'object') return 'json';
  if (enumOptions(schema)) return 'enum';
  const type = singleType(schema.type);
  switch (type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
      return type;
    case 'object':
      return schema.properties && typeof schema.properties === 'object' ? 'object' : 'json';
    case 'array':
      return schema.items && fieldKind(schema.items) !== 'json' ? 'array' : 'json';
    default:
      return 'json';
  }
}

/**
 * The choices of a string enum: `enum` (with the legacy `enumNames` as labels) or, as
 * elicitation's titled enums are written, `oneOf`/`anyOf` of `{ const, title }`.
 */
export function enumOptions(schema: JsonSchema): { value: string; label: string }[] | undefined {
  if (
    Array.isArray(schema.enum) &&
    schema.enum.length > 0 &&
    schema.enum.every((v) => typeof v === 'string')
  ) {
    const names = Array.isArray(schema['enumNames']) ? (schema['enumNames'] as unknown[]) : [];
    return schema.enum.map((value, i) => {
      const name = names[i];
      return { value, label: typeof name === 'string' ? name : value };
    });
  }
  const alternatives = schema['oneOf'] ?? schema['anyOf'];
  if (!Array.isArray(alternatives) || alternatives.length === 0) return undefined;
  const options: { value: string; label: string }[] = [];
  for (const a of alternatives as { const?: unknown; title?: unknown }[]) {
    if (typeof a?.const !== 'string') return undefined;
    options.push({ value: a.const, label: typeof a.title === 'string' ? a.title : a.const });
  }
  return options;
}

/** `["string", "null"]` reads as `string`; other unions are drawn as JSON. */
function singleType(type: JsonSchema['type']): string | undefined {
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const real = type.filter((t) => t !== 'null');
    return real.length === 1 ? real[0] : undefined;
  }
  return undefined;
}

/** The starting value of a form: each property's default, objects filled in, the rest left out. */
export function initialValue(schema: JsonSchema | undefined): unknown {
  if (!schema) return undefined;
  if (schema.default !== undefined) return structuredClone(schema.default);
  const kind = fieldKind(schema);
  if (kind === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(schema.properties ?? {})) {
      const v = initialValue(prop);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  if (kind === 'array' && schema.required !== undefined) return [];
  return undefined;
}

/** A starting value for one new array item. */
export function newItem(schema: JsonSchema | undefined): unknown {
  const v = initialValue(schema);
  if (v !== undefined) return v;
  switch (fieldKind(schema)) {
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'string':
      return '';
    default:
      return undefined;
  }
}

/** Required properties left empty, by path (`a.b`), for the "fill in" message before Call. */
export function missingRequired(schema: JsonSchema | undefined, value: unknown, path = ''): string[] {
  if (!schema || fieldKind(schema) !== 'object') return [];
  const obj = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const out: string[] = [];
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const here = path ? `${path}.${key}` : key;
    const v = obj[key];
    if (schema.required?.includes(key) && (v === undefined || v === '')) out.push(here);
    else if (v !== undefined) out.push(...missingRequired(prop, v, here));
  }
  return out;
}

/** Reads a number input: empty means "left out", anything unreadable is kept as text (the server says why). */
export function parseNumberInput(text: string, integer: boolean): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) return text;
  return n;
}

/** Sets `value` at `key` of an object, leaving `undefined` out (so unset optional fields are not sent). */
export function withProperty(obj: unknown, key: string, value: unknown): Record<string, unknown> {
  const next = { ...((typeof obj === 'object' && obj !== null ? obj : {}) as Record<string, unknown>) };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}
