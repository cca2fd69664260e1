import { useState } from 'react';
import type { JsonSchema } from '@shared/tools';
import { enumOptions, fieldKind, newItem, parseNumberInput, withProperty } from './schema-form';

interface FieldProps {
  schema: JsonSchema;
  /** The field's accessible name (property name or title). */
  label: string;
  required?: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
}

/** The form for an object schema: one field per property (a tool's input, an elicitation). */
export function SchemaForm({
  schema,
  value,
  onChange,
}: {
  schema: JsonSchema;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  if (fieldKind(schema) !== 'object') {
    return <JsonField schema={schema} label="Arguments (JSON)" value={value} onChange={onChange} />;
  }
  return <ObjectFields schema={schema} value={value} onChange={onChange} />;
}

function ObjectFields({ schema, value, onChange }: Omit<FieldProps, 'label'>) {
  const obj = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) return <p className="tools-hint">No arguments.</p>;
  return (
    <div className="schema-fields">
      {props.map(([key, prop]) => (
        <Field
          key={key}
          schema={prop}
          label={key}
          required={schema.required?.includes(key) === true}
          value={obj[key]}
          onChange={(v) => onChange(withProperty(obj, key, v))}
        />
      ))}
    </div>
  );
}

function Field(props: FieldProps) {
  const { schema, label, required, value, onChange } = props;
  const kind = fieldKind(schema);
  const description = schema.description ?? (schema.title !== label ? schema.title : undefined);
  const caption = (
    <span className="schema-label">
      {label}
      {required && (
        <span className="schema-required" aria-hidden="true">
          {' '}
          *
        </span>
      )}
    </span>
  );
  const hint = description ? <span className="tools-hint">{description}</span> : null;
  const aria = { 'aria-label': label, 'aria-required': required || undefined };

  if (kind === 'object' || kind === 'array') {
    return (
      <fieldset className="schema-group">
        <legend>
          {caption}
          {hint}
        </legend>
        {kind === 'object' ? (
          <ObjectFields schema={schema} value={value} onChange={onChange} />
        ) : (
          <ArrayItems {...props} />
        )}
      </fieldset>
    );
  }
  if (kind === 'json') return <JsonField {...props} />;

  let input;
  if (kind === 'boolean') {
    input = (
      <input
        type="checkbox"
        {...aria}
        checked={value === true}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  } else if (kind === 'enum') {
    input = (
      <select
        {...aria}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        <option value="">—</option>
        {(enumOptions(schema) ?? []).map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (kind === 'number' || kind === 'integer') {
    input = (
      <NumberInput
        label={label}
        required={required}
        integer={kind === 'integer'}
        value={value}
        onChange={onChange}
      />
    );
  } else {
    input = (
      <input
        type="text"
        {...aria}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' && !required ? undefined : e.target.value)}
      />
    );
  }
  return (
    <label className={`schema-field kind-${kind}`}>
      {caption}
      {input}
      {hint}
    </label>
  );
}

function ArrayItems({ schema, label, value, onChange }: FieldProps) {
  const items: unknown[] = Array.isArray(value) ? (value as unknown[]) : [];
  const itemSchema = schema.items ?? {};
  return (
    <div className="schema-array">
      {items.map((item, i) => (
        <div className="schema-array-item" key={i}>
          <Field
            schema={itemSchema}
            label={`${label} ${i + 1}`}
            value={item}
            onChange={(v) => onChange(items.map((x, j) => (j === i ? v : x)))}
          />
          <button type="button" onClick={() => onChange(items.filter((_, j) => j !== i))}>
            Remove {label} {i + 1}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...items, newItem(itemSchema)])}>
        Add to {label}
      </button>
    </div>
  );
}

/** The raw-JSON escape hatch: what the form cannot draw is typed as JSON, checked as you type. */
export function JsonField({ label, required, value, onChange }: FieldProps) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [error, setError] = useState<string>();
  return (
    <label className="schema-field kind-json">
      <span className="schema-label">
        {label} <span className="tools-hint">(JSON)</span>
        {required && <span className="schema-required"> *</span>}
      </span>
      <textarea
        aria-label={label}
        aria-invalid={error !== undefined}
        rows={Math.min(12, Math.max(2, text.split('\n').length))}
        value={text}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') {
            setError(undefined);
            onChange(undefined);
            return;
          }
          try {
            onChange(JSON.parse(e.target.value));
            setError(undefined);
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      />
      {error && (
        <span className="error" role="alert">
          Not JSON yet: {error}
        </span>
      )}
    </label>
  );
}

/** Keeps what is typed ("2.", "-") while the value it reads as goes to the form. */
function NumberInput({
  label,
  required,
  integer,
  value,
  onChange,
}: {
  label: string;
  required: boolean | undefined;
  integer: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const shown = typeof value === 'number' || typeof value === 'string' ? String(value) : '';
  const [text, setText] = useState(shown);
  const current = parseNumberInput(text, integer) === value ? text : shown;
  return (
    <input
      type="text"
      inputMode="decimal"
      aria-label={label}
      aria-required={required || undefined}
      value={current}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseNumberInput(e.target.value, integer));
      }}
    />
  );
}
