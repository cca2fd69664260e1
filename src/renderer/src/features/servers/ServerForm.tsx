import type { ApiError } from '@shared/contract';
import type { ServerInput } from '@shared/server-config';
import { type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import { api } from '../../api/api';
import { AdvancedFields } from './AdvancedFields';
import { CommandLineField } from './CommandLineField';
import { EnvEditor } from './EnvEditor';
import { MODE_NOTES } from './mode-notes';
import { type FieldKit, TextField } from './form-fields';
import {
  ADVANCED_FIELDS,
  FIELD,
  type ServerForm as Form,
  formErrors,
  nameAfterCommandChange,
  toFormErrors,
  toServerInput,
} from './server-form-model';
import './servers.css';

const MODES = [
  { value: 'isolated', label: 'Isolated', note: MODE_NOTES.isolated },
  { value: 'shared', label: 'Shared', note: MODE_NOTES.shared },
] as const;

/** A field's element id within one form (ids may not hold the dots of `env.0.key`). */
const fieldId = (prefix: string, field: string) => `${prefix}${field.replace(/\./g, '-')}`;

export interface FocusRequest {
  field: string;
  /** Changes on every request, so asking twice focuses twice. */
  n: number;
}

/**
 * The one server form, for Add (in a dialog) and for edit (the Settings tab). It checks
 * itself as the user types (a field's message shows once it was touched, or after a save
 * attempt) and shows the engine's field errors after a save.
 */
export function ServerForm({
  initial,
  isNew,
  submitLabel,
  onSubmit,
  focusRequest,
  children,
}: {
  initial: Form;
  isNew: boolean;
  submitLabel: string;
  /** Saves; returns the engine's error, if any. */
  onSubmit: (input: ServerInput, removeToken: boolean) => Promise<ApiError | undefined>;
  focusRequest?: FocusRequest | undefined;
  /** More buttons for the action row (Duplicate, Delete). */
  children?: ReactNode;
}) {
  const prefix = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [form, setForm] = useState(initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [engineErrors, setEngineErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const errors = useMemo(() => formErrors(form), [form]);
  const dirty = useMemo(() => JSON.stringify(form) !== JSON.stringify(initial), [form, initial]);

  const kit: FieldKit = {
    id: (field) => fieldId(prefix, field),
    error: (field) => engineErrors[field] ?? (submitted || touched.has(field) ? errors[field] : undefined),
  };

  const put = (field: string, patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));
    setFormError(undefined);
    setEngineErrors((e) => {
      if (!(field in e)) return e;
      const { [field]: _gone, ...rest } = e;
      return rest;
    });
  };

  useEffect(() => {
    if (!focusRequest) return;
    // A frame later: a dialog that opens with the form moves the focus itself after our effects.
    const frame = requestAnimationFrame(() => {
      const el = document.getElementById(fieldId(prefix, focusRequest.field));
      if (el instanceof HTMLInputElement) {
        el.focus();
        el.select();
      }
    });
    return () => cancelAnimationFrame(frame);
    // Only a new request moves the focus: callers keep a request in state, a new object each time.
  }, [focusRequest, prefix]);

  const focusFirstError = () =>
    requestAnimationFrame(() =>
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
    );

  const submit = async () => {
    setSubmitted(true);
    const keys = Object.keys(errors);
    if (keys.length > 0) {
      if (keys.some((k) => ADVANCED_FIELDS.includes(k))) setAdvancedOpen(true);
      focusFirstError();
      return;
    }
    const converted = toServerInput(form);
    setSaving(true);
    const error = await onSubmit(converted.input, converted.removeToken);
    setSaving(false);
    if (!error) return;
    const fields = toFormErrors(error.fields ?? [], converted);
    setEngineErrors(fields);
    if (Object.keys(fields).some((k) => ADVANCED_FIELDS.includes(k))) setAdvancedOpen(true);
    if (Object.keys(fields).length === 0) setFormError(error.message);
    else focusFirstError();
  };

  const pickFolder = async () => {
    const picked = await api.call('dialog.pickDirectory', form.cwd ? { defaultPath: form.cwd } : {});
    if (!picked.ok) setFormError(`Could not open the folder picker: ${picked.error.message}`);
    else if (picked.value !== null) put('cwd', { cwd: picked.value });
  };

  return (
    <form
      ref={formRef}
      className="server-form"
      noValidate
      aria-label={isNew ? 'New server' : 'Server settings'}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <TextField
        kit={kit}
        field="name"
        label="Name"
        autoComplete="off"
        spellCheck={false}
        value={form.name}
        onChange={(v) => put('name', { name: v })}
      />
      <CommandLineField
        kit={kit}
        value={form.commandLine}
        onChange={(v) =>
          // A new server is named after its command until the user names it (an existing one keeps its name).
          put(
            FIELD.commandLine,
            isNew ? { commandLine: v, name: nameAfterCommandChange(form, v) } : { commandLine: v },
          )
        }
      />
      <EnvEditor
        kit={kit}
        rows={form.env}
        onChange={(env, field) => {
          // Removing a row renumbers the rest: the engine's row messages no longer fit.
          if (env.length < form.env.length)
            setEngineErrors((e) =>
              Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith('env.'))),
            );
          put(field, { env });
        }}
      />
      <TextField
        kit={kit}
        field="cwd"
        label="Working folder"
        className="mono"
        spellCheck={false}
        placeholder="Patchbay's own when blank"
        value={form.cwd}
        onChange={(v) => put('cwd', { cwd: v })}
        after={
          // Only the desktop shell can show the system's folder picker.
          window.patchbay && (
            <button type="button" onClick={() => void pickFolder()}>
              Choose…
            </button>
          )
        }
      />
      <TextField
        kit={kit}
        field="port"
        label="Port"
        inputMode="numeric"
        className="port-input"
        placeholder={isNew ? 'any free port' : ''}
        hint={isNew ? 'Leave blank to pick a free one.' : 'Changing it changes the URL clients use.'}
        value={form.port}
        onChange={(v) => put('port', { port: v })}
      />
      <fieldset className="form-row">
        <legend>Mode</legend>
        <div className="form-control">
          {MODES.map((m) => (
            <label key={m.value} className="radio-choice">
              <input
                type="radio"
                name={kit.id('mode')}
                value={m.value}
                checked={form.mode === m.value}
                aria-describedby={kit.id(`mode-${m.value}`)}
                // Named by its label alone: the note (which mentions the other mode) only describes it.
                aria-label={m.label}
                onChange={() => put('mode', { mode: m.value })}
              />
              <span>{m.label}</span>
              <span className="field-hint" id={kit.id(`mode-${m.value}`)}>
                {m.note}
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <details
        className="advanced-section"
        open={advancedOpen}
        onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}
      >
        <summary>Advanced</summary>
        <AdvancedFields kit={kit} form={form} put={put} />
      </details>
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving || (!isNew && !dirty)}>
          {saving ? 'Saving…' : submitLabel}
        </button>
        {!isNew && dirty && (
          <button
            type="button"
            onClick={() => {
              setForm(initial);
              setTouched(new Set());
              setSubmitted(false);
              setEngineErrors({});
              setFormError(undefined);
            }}
          >
            Discard changes
          </button>
        )}
        <span className="spacer" />
        {children}
      </div>
    </form>
  );
}
