import { type FieldKit, FieldNotes, TextField, fieldA11y } from './form-fields';
import { FIELD, type ServerForm, type TokenAction } from './server-form-model';

type Put = (field: string, patch: Partial<ServerForm>) => void;

/** The settings most servers never need: token, origins, autostart, restarts, limits. */
export function AdvancedFields({ kit, form, put }: { kit: FieldKit; form: ServerForm; put: Put }) {
  return (
    <div className="advanced">
      <TokenFields kit={kit} form={form} put={put} />
      <div className="form-row">
        <label htmlFor={kit.id('allowedOrigins')}>Allowed origins</label>
        <div className="form-control">
          <textarea
            {...fieldA11y(kit, 'allowedOrigins', true)}
            className="mono"
            rows={2}
            spellCheck={false}
            placeholder="https://app.example"
            value={form.allowedOrigins}
            onChange={(e) => put('allowedOrigins', { allowedOrigins: e.target.value })}
          />
          <FieldNotes
            kit={kit}
            field="allowedOrigins"
            hint="One per line. Web pages from these origins may connect; other pages are refused."
          />
        </div>
      </div>
      <div className="form-row">
        <span className="form-label">Lifecycle</span>
        <div className="form-control">
          <label className="check">
            <input
              type="checkbox"
              checked={form.autostart}
              onChange={(e) => put('autostart', { autostart: e.target.checked })}
            />
            Start when Patchbay starts
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={form.restartEnabled}
              onChange={(e) => put('restartEnabled', { restartEnabled: e.target.checked })}
            />
            Restart on crash, waiting longer after each crash
          </label>
        </div>
      </div>
      <div className="form-grid-2">
        <TextField
          kit={kit}
          field={FIELD.restartInitial}
          label="First wait (s)"
          inputMode="decimal"
          disabled={!form.restartEnabled}
          value={form.restartInitialS}
          onChange={(v) => put(FIELD.restartInitial, { restartInitialS: v })}
        />
        <TextField
          kit={kit}
          field={FIELD.restartMax}
          label="Longest wait (s)"
          inputMode="decimal"
          disabled={!form.restartEnabled}
          value={form.restartMaxS}
          onChange={(v) => put(FIELD.restartMax, { restartMaxS: v })}
        />
        <TextField
          kit={kit}
          field={FIELD.maxProcesses}
          label="Max processes"
          inputMode="numeric"
          hint="Isolated mode runs one per session"
          value={form.maxProcesses}
          onChange={(v) => put(FIELD.maxProcesses, { maxProcesses: v })}
        />
        <TextField
          kit={kit}
          field={FIELD.maxSessions}
          label="Max sessions"
          inputMode="numeric"
          value={form.maxSessions}
          onChange={(v) => put(FIELD.maxSessions, { maxSessions: v })}
        />
        <TextField
          kit={kit}
          field={FIELD.idleTimeout}
          label="Idle timeout (s)"
          inputMode="decimal"
          hint="A session quiet this long is closed"
          value={form.idleTimeoutS}
          onChange={(v) => put(FIELD.idleTimeout, { idleTimeoutS: v })}
        />
        <TextField
          kit={kit}
          field={FIELD.maxBody}
          label="Max request (MB)"
          inputMode="decimal"
          value={form.maxBodyMb}
          onChange={(v) => put(FIELD.maxBody, { maxBodyMb: v })}
        />
      </div>
    </div>
  );
}

const TOKEN_CHOICES: { value: TokenAction; label: string }[] = [
  { value: 'keep', label: 'Keep the current token' },
  { value: 'replace', label: 'Replace it' },
  { value: 'remove', label: 'Remove it' },
];

/** No token yet: one optional input. A stored token: keep, replace or remove it (it is never shown). */
function TokenFields({ kit, form, put }: { kit: FieldKit; form: ServerForm; put: Put }) {
  const input = (label: string) => (
    <TextField
      kit={kit}
      field="token"
      label={label}
      type="password"
      autoComplete="new-password"
      hint="Clients must send it as Authorization: Bearer …"
      value={form.token}
      onChange={(v) => put('token', { token: v })}
    />
  );
  if (!form.hasToken) return input('Bearer token');
  return (
    <>
      <fieldset className="form-row">
        <legend>Bearer token</legend>
        <div className="form-control radios-inline">
          {TOKEN_CHOICES.map((c) => (
            <label key={c.value} className="check">
              <input
                type="radio"
                name={kit.id('tokenAction')}
                value={c.value}
                checked={form.tokenAction === c.value}
                onChange={() => put('token', { tokenAction: c.value })}
              />
              {c.label}
            </label>
          ))}
        </div>
      </fieldset>
      {form.tokenAction === 'replace' && input('New token')}
    </>
  );
}
