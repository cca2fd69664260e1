import type { InputHTMLAttributes, ReactNode } from 'react';

/**
 * How a form field finds its id, its message and its hint: every input gets `aria-invalid`
 * and `aria-describedby` pointing at the one line under it, so a screen reader reads the
 * error with the field.
 */
export interface FieldKit {
  id(field: string): string;
  error(field: string): string | undefined;
}

export function fieldA11y(kit: FieldKit, field: string, hasHint = false) {
  const id = kit.id(field);
  const error = kit.error(field);
  const describedBy = [hasHint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  } as const;
}

/** The hint and the error under a field (the error replaces nothing: both can show). */
export function FieldNotes({ kit, field, hint }: { kit: FieldKit; field: string; hint?: ReactNode }) {
  const id = kit.id(field);
  const error = kit.error(field);
  return (
    <>
      {hint !== undefined && (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </>
  );
}

/** A labelled single-line input with its hint and error. */
export function TextField({
  kit,
  field,
  label,
  hint,
  value,
  onChange,
  after,
  ...rest
}: {
  kit: FieldKit;
  field: string;
  label: string;
  hint?: ReactNode;
  value: string;
  onChange: (value: string) => void;
  /** Something beside the input, e.g. a "Choose…" button. */
  after?: ReactNode;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'id'>) {
  return (
    <div className="form-row">
      <label htmlFor={kit.id(field)}>{label}</label>
      <div className="form-control">
        <div className="input-with-button">
          <input
            {...rest}
            {...fieldA11y(kit, field, hint !== undefined)}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
          {after}
        </div>
        <FieldNotes kit={kit} field={field} hint={hint} />
      </div>
    </div>
  );
}
