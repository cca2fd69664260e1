import { describe, expect, it } from 'vitest';
import {
  enumOptions,
  fieldKind,
  initialValue,
  missingRequired,
  newItem,
  parseNumberInput,
  withProperty,
} from './schema-form';

describe('schema-form', () => {
  it('draws each type with its own input, and falls back to JSON', () => {
    expect(fieldKind({ type: 'string' })).toBe('string');
    expect(fieldKind({ type: ['integer', 'null'] })).toBe('integer');
    expect(fieldKind({ type: 'string', enum: ['a', 'b'] })).toBe('enum');
    expect(fieldKind({ type: 'object', properties: { a: { type: 'string' } } })).toBe('object');
    expect(fieldKind({ type: 'array', items: { type: 'number' } })).toBe('array');
    expect(fieldKind({ type: 'array' })).toBe('json');
    expect(fieldKind({ type: 'object' })).toBe('json'); // free-form object
    expect(fieldKind({ anyOf: [{ type: 'string' }, { type: 'number' }] })).toBe('json');
    expect(fieldKind({ type: ['string', 'number'] })).toBe('json');
  });

  it('reads titled enums as elicitation writes them', () => {
    expect(enumOptions({ type: 'string', enum: ['a', 'b'], enumNames: ['Apple', 'Banana'] })).toEqual([
      { value: 'a', label: 'Apple' },
      { value: 'b', label: 'Banana' },
    ]);
    const titled = { type: 'string', oneOf: [{ const: 'hero-1', title: 'Superman' }, { const: 'hero-2' }] };
    expect(fieldKind(titled)).toBe('enum');
    expect(enumOptions(titled)).toEqual([
      { value: 'hero-1', label: 'Superman' },
      { value: 'hero-2', label: 'hero-2' },
    ]);
    expect(fieldKind({ anyOf: [{ const: 'x' }, { type: 'number' }] })).toBe('json');
    expect(fieldKind({ type: 'array', items: { anyOf: [{ const: 'fish-1', title: 'Tuna' }] } })).toBe(
      'array',
    );
  });

  it('starts from defaults, nested objects included, and leaves the rest out', () => {
    const schema = {
      type: 'object',
      properties: {
        duration: { type: 'number', default: 10 },
        name: { type: 'string' },
        inner: { type: 'object', properties: { flag: { type: 'boolean', default: true } } },
      },
    };
    expect(initialValue(schema)).toEqual({ duration: 10, inner: { flag: true } });
    expect(newItem({ type: 'string' })).toBe('');
    expect(newItem({ type: 'boolean' })).toBe(false);
  });

  it('names required fields left empty, nested ones by path', () => {
    const schema = {
      type: 'object',
      required: ['a', 'inner'],
      properties: {
        a: { type: 'string' },
        inner: { type: 'object', required: ['b'], properties: { b: { type: 'number' } } },
      },
    };
    expect(missingRequired(schema, {})).toEqual(['a', 'inner']);
    expect(missingRequired(schema, { a: '', inner: {} })).toEqual(['a', 'inner.b']);
    expect(missingRequired(schema, { a: 'x', inner: { b: 1 } })).toEqual([]);
  });

  it('reads number inputs: empty is left out, integers stay integers', () => {
    expect(parseNumberInput('', false)).toBeUndefined();
    expect(parseNumberInput(' 2.5 ', false)).toBe(2.5);
    expect(parseNumberInput('2.5', true)).toBe('2.5');
    expect(parseNumberInput('7', true)).toBe(7);
    expect(withProperty({ a: 1 }, 'a', undefined)).toEqual({});
    expect(withProperty(undefined, 'b', 2)).toEqual({ b: 2 });
  });
});
