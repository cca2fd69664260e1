import type { ImportScan, ImportSource } from '@shared/imported-server';
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { api } from '../../api/api';
import { Dialog } from '../../ui/Dialog';
import { toast } from '../../ui/toast';
import { closeDialog, dialogsStore } from './dialogs-store';
import { Warnings } from './PastePanel';
import { adoptMany } from './servers-store';
import { shownCommand } from './shown-command';

const CLIENT_NAMES: Record<ImportSource['client'], string> = {
  'claude-desktop': 'Claude Desktop',
  'claude-code': 'Claude Code',
  cursor: 'Cursor',
  vscode: 'VS Code',
  windsurf: 'Windsurf',
};

function sourceText(s: ImportSource): string {
  return `${CLIENT_NAMES[s.client]} · ${s.path}${s.project ? ` · project ${s.project}` : ''}`;
}

/** "Import from installed clients": what the AI clients' config files hold, to pick from. */
export function ImportDialog() {
  const open = useStore(dialogsStore, (s) => s.open.kind === 'import');
  return (
    <Dialog title="Import from installed clients" open={open} onClose={() => closeDialog('import')} wide>
      <ImportBody />
    </Dialog>
  );
}

function ImportBody() {
  const [scan, setScan] = useState<ImportScan>();
  const [error, setError] = useState<string>();
  const [chosen, setChosen] = useState<ReadonlySet<number>>(new Set());
  const [importing, setImporting] = useState(false);

  useEffect(() => {
    // Closing the dialog while scanning drops the answer: the scan has no side effects.
    let live = true;
    void api.call('clients.scan', {}).then((r) => {
      if (!live) return;
      if (!r.ok) setError(r.error.message);
      else {
        setScan(r.value);
        setChosen(new Set(r.value.found.map((_, i) => i)));
      }
    });
    return () => {
      live = false;
    };
  }, []);

  const run = async () => {
    if (!scan) return;
    setImporting(true);
    const entries = scan.found.filter((_, i) => chosen.has(i));
    const r = await api.call('clients.import', { entries });
    setImporting(false);
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    adoptMany(r.value);
    toast(`Imported ${r.value.length} server${r.value.length === 1 ? '' : 's'}`);
    closeDialog('import');
  };

  if (error && !scan)
    return <p className="form-error" role="alert">{`Could not read the clients' configs: ${error}`}</p>;
  if (!scan)
    return (
      <p className="muted" role="status">
        Looking through your AI clients' config files…
      </p>
    );

  const toggle = (i: number) =>
    setChosen((c) => {
      const next = new Set(c);
      if (!next.delete(i)) next.add(i);
      return next;
    });
  const n = chosen.size;
  return (
    <div className="import-body">
      {scan.found.length === 0 ? (
        <p>No stdio servers to import: none of your AI clients lists one Patchbay does not have yet.</p>
      ) : (
        <fieldset className="plain-fieldset">
          <legend>Found {scan.found.length}</legend>
          <ul className="plain-list">
            {scan.found.map((s, i) => (
              <li key={i} className="found-item">
                <label className="check">
                  <input type="checkbox" checked={chosen.has(i)} onChange={() => toggle(i)} />
                  <strong>{s.name}</strong>
                  <code className="muted">{shownCommand(s.command, s.args)}</code>
                </label>
                <div className="muted source">{sourceText(s.source)}</div>
                <Warnings items={s.warnings} />
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      {scan.skipped.length > 0 && (
        <details className="skipped-list">
          <summary>Skipped {scan.skipped.length}</summary>
          <ul className="plain-list">
            {scan.skipped.map((s, i) => (
              <li key={i}>
                <strong>{s.name}</strong>: {s.reason}{' '}
                <span className="muted source">{sourceText(s.source)}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {scan.errors.length > 0 && (
        <div className="skipped-list">
          <strong>Could not read</strong>
          <ul className="plain-list">
            {scan.errors.map((e, i) => (
              <li key={i}>
                <code>{e.path}</code>: <span className="error">{e.message}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="primary" disabled={n === 0 || importing} onClick={() => void run()}>
          {importing ? 'Importing…' : `Import ${n} server${n === 1 ? '' : 's'}`}
        </button>
        <button type="button" onClick={() => closeDialog('import')}>
          Cancel
        </button>
      </div>
    </div>
  );
}
