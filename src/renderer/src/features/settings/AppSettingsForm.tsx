import { type FormEvent, useEffect, useId, useState } from 'react';
import { api } from '../../api/api';
import { currentShell } from '../../shell';
import { toast } from '../../ui/toast';
import {
  type AgeUnit,
  type FrameHistoryErrors,
  type FrameHistoryForm,
  fromForm,
  toForm,
} from './frame-history-form';

/** Frame history on disk, and (desktop) close to tray; Save applies both at once. */
export function AppSettingsForm() {
  const desktop = currentShell() === 'electron';
  const [form, setForm] = useState<FrameHistoryForm>();
  const [tray, setTray] = useState<boolean>();
  const [errors, setErrors] = useState<FrameHistoryErrors>({});
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);
  const id = useId();

  useEffect(() => {
    let closed = false;
    void (async () => {
      const [history, closeToTray] = await Promise.all([
        api.call('settings.frameHistory'),
        desktop ? api.call('settings.closeToTray') : Promise.resolve(undefined),
      ]);
      if (closed) return;
      if (history.ok) setForm(toForm(history.value));
      else setFailure(`Could not read the settings: ${history.error.message}`);
      if (closeToTray?.ok) setTray(closeToTray.value);
      else if (closeToTray) setFailure(`Could not read the tray setting: ${closeToTray.error.message}`);
    })();
    return () => {
      closed = true;
    };
  }, [desktop]);

  if (!form) return <p className={failure ? 'error' : 'muted'}>{failure ?? 'Loading…'}</p>;

  const change = (patch: Partial<FrameHistoryForm>) => {
    const next = { ...form, ...patch };
    setForm(next);
    // Validates as you type, on the fields touched so far (the unit belongs to the age).
    const checked = fromForm(next);
    const found = checked.ok ? {} : checked.errors;
    const touched = new Set(Object.keys(patch).map((k) => (k === 'unit' ? 'maxAge' : k)));
    setErrors((shown) => {
      const out: FrameHistoryErrors = {};
      for (const k of ['maxFrames', 'maxAge'] as const) {
        if ((touched.has(k) || shown[k]) && found[k]) out[k] = found[k];
      }
      return out;
    });
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const checked = fromForm(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setSaving(true);
    const results = await Promise.all([
      api.call('settings.setFrameHistory', checked.value),
      desktop && tray !== undefined ? api.call('settings.setCloseToTray', { enabled: tray }) : undefined,
    ]);
    setSaving(false);
    const failed = results.flatMap((r) => (r && !r.ok ? [r.error.message] : []));
    setFailure(failed.length ? `Not saved: ${failed.join('; ')}` : undefined);
    if (failed.length === 0) toast('Settings saved');
  };

  return (
    <form className="settings-section" onSubmit={(e) => void save(e)} noValidate>
      <h3>Frame history</h3>
      <label className="settings-check">
        <input
          type="checkbox"
          checked={form.enabled}
          onChange={(e) => change({ enabled: e.target.checked })}
        />
        Keep frame history on disk
      </label>
      <p className="muted settings-hint">
        Frames are kept in memory while a server runs; on disk they survive restarts, up to these limits.
      </p>
      <div className="settings-field-row">
        <label htmlFor={`${id}-frames`}>Max frames</label>
        <input
          id={`${id}-frames`}
          inputMode="numeric"
          value={form.maxFrames}
          disabled={!form.enabled}
          aria-invalid={errors.maxFrames !== undefined}
          aria-describedby={errors.maxFrames ? `${id}-frames-error` : undefined}
          onChange={(e) => change({ maxFrames: e.target.value })}
        />
      </div>
      {errors.maxFrames && (
        <p className="error settings-field-error" id={`${id}-frames-error`}>
          {errors.maxFrames}
        </p>
      )}
      <div className="settings-field-row">
        <label htmlFor={`${id}-age`}>Max age</label>
        <input
          id={`${id}-age`}
          inputMode="numeric"
          value={form.maxAge}
          disabled={!form.enabled}
          aria-invalid={errors.maxAge !== undefined}
          aria-describedby={errors.maxAge ? `${id}-age-error` : undefined}
          onChange={(e) => change({ maxAge: e.target.value })}
        />
        <select
          aria-label="Max age unit"
          value={form.unit}
          disabled={!form.enabled}
          onChange={(e) => change({ unit: e.target.value as AgeUnit })}
        >
          <option value="hours">hours</option>
          <option value="days">days</option>
        </select>
      </div>
      {errors.maxAge && (
        <p className="error settings-field-error" id={`${id}-age-error`}>
          {errors.maxAge}
        </p>
      )}
      {desktop && tray !== undefined && (
        <>
          <h3>Window</h3>
          <label className="settings-check">
            <input type="checkbox" checked={tray} onChange={(e) => setTray(e.target.checked)} />
            Closing the window keeps servers running in the tray
          </label>
        </>
      )}
      {failure && <p className="error">{failure}</p>}
      <div className="settings-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
