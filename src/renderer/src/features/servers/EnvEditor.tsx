import { SECRET_MASK } from '@shared/server-config';
import { type FieldKit, fieldA11y } from './form-fields';
import type { EnvRow } from './server-form-model';

/**
 * Environment variables as rows of name, value and a secret toggle. A stored secret shows
 * masked and empty: left alone, the engine keeps its value; typing replaces it.
 */
export function EnvEditor({
  kit,
  rows,
  onChange,
}: {
  kit: FieldKit;
  rows: EnvRow[];
  onChange: (rows: EnvRow[], field: string) => void;
}) {
  const put = (i: number, patch: Partial<EnvRow>, field: string) =>
    onChange(
      rows.map((r, j) => (j === i ? { ...r, ...patch } : r)),
      `env.${i}.${field}`,
    );
  return (
    <fieldset className="form-row env-editor">
      <legend>Environment</legend>
      <div className="form-control">
        {rows.length > 0 && (
          <div className="env-rows">
            {rows.map((row, i) => {
              const label = row.key.trim() || `variable ${i + 1}`;
              const keyError = kit.error(`env.${i}.key`);
              const valueError = kit.error(`env.${i}.value`);
              return (
                <div className="env-row" key={i}>
                  <input
                    {...fieldA11y(kit, `env.${i}.key`)}
                    className="mono"
                    aria-label={`Name of ${label}`}
                    placeholder="NAME"
                    spellCheck={false}
                    autoComplete="off"
                    value={row.key}
                    onChange={(e) => put(i, { key: e.target.value }, 'key')}
                  />
                  <input
                    {...fieldA11y(kit, `env.${i}.value`)}
                    className="mono"
                    aria-label={`Value of ${label}`}
                    type={row.secret ? 'password' : 'text'}
                    autoComplete={row.secret ? 'new-password' : 'off'}
                    spellCheck={false}
                    placeholder={row.storedKey !== undefined ? `${SECRET_MASK} (kept)` : 'value'}
                    value={row.value}
                    onChange={(e) => put(i, { value: e.target.value }, 'value')}
                  />
                  <label className="check">
                    <input
                      type="checkbox"
                      aria-label={`Keep ${label} secret`}
                      checked={row.secret}
                      onChange={(e) => put(i, { secret: e.target.checked }, 'value')}
                    />
                    Secret
                  </label>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove ${label}`}
                    onClick={() =>
                      onChange(
                        rows.filter((_, j) => j !== i),
                        `env.${i}.key`,
                      )
                    }
                  >
                    ✕
                  </button>
                  {keyError && (
                    <span id={`${kit.id(`env.${i}.key`)}-error`} className="field-error env-error">
                      {keyError}
                    </span>
                  )}
                  {valueError && (
                    <span id={`${kit.id(`env.${i}.value`)}-error`} className="field-error env-error">
                      {valueError}
                    </span>
                  )}
                </div>
              );
            })}
          </div>
        )}
        <div>
          <button
            type="button"
            onClick={() =>
              onChange([...rows, { key: '', value: '', secret: false }], `env.${rows.length}.key`)
            }
          >
            Add variable
          </button>
        </div>
      </div>
    </fieldset>
  );
}
