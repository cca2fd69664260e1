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
  { value: 'keep', label: 'Keep the current key' },
  { value: 'replace', label: 'Replace it' },
];

/**
 * "Require a key" (on by default for new servers): clients send it as a Bearer header or in
 * the URL (`?key=`). Off, any program on this computer can start the server's command.
 * A stored key is never shown: keep or replace it.
 */
function TokenFields({ kit, form, put }: { kit: FieldKit; form: ServerForm; put: Put }) {
  const input = (label: string, hint: string) => (
    <TextField
      kit={kit}
      field="token"
      label={label}
      type="password"
      autoComplete="new-password"
      hint={hint}
      value={form.token}
      onChange={(v) => put('token', { token: v })}
    />
  );
  return (
    <>
      <div className="form-row">
        <span className="form-label">Access</span>
        <div className="form-control">
          <label className="check">
            <input
              type="checkbox"
              checked={form.requireKey}
              onChange={(e) => put('token', { requireKey: e.target.checked, tokenAction: 'keep' })}
            />
            Require a key
          </label>
          {form.requireKey ? (
            <span className="field-hint">Copy URL and the Connect tab give clients the key.</span>
          ) : (
            <span className="field-hint field-warning" role="note" data-testid="no-key-warning">
              Without a key, any program on this computer can connect and start this server’s command.
            </span>
          )}
        </div>
      </div>
      {form.requireKey && !form.hasToken && input('Key', 'Leave blank for a random one (recommended).')}
      {form.requireKey && form.hasToken && (
        <fieldset className="form-row">
          <legend>Key</legend>
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
      )}
      {form.requireKey &&
        form.hasToken &&
        form.tokenAction === 'replace' &&
        input('New key', 'Clients must then be given the new URL or header.')}
    </>
  );
}
