import { type ChangeEvent, useState } from 'react';
import { api } from '../../api/api';
import { toast } from '../../ui/toast';
import { exportFileName } from './export-file-name';

/** Export every server to a JSON file; import one (a file or pasted text). */
export function ExportImportSection() {
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const exportAll = async () => {
    const result = await api.call('config.export');
    if (!result.ok) return setProblem(`Could not export: ${result.error.message}`);
    setProblem(undefined);
    const url = URL.createObjectURL(new Blob([result.value], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = exportFileName(new Date());
    a.click();
    // The download has its own copy once started; the URL is only needed for the click.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    toast('Exported all servers (tokens and secret values are not in the file)');
  };

  const importText = async (text: string, from: string): Promise<boolean> => {
    setBusy(true);
    const result = await api.call('config.import', { text });
    setBusy(false);
    if (!result.ok) {
      setProblem(`Could not import ${from}: ${result.error.message}`);
      return false;
    }
    setProblem(undefined);
    const names = result.value.map((s) => s.name);
    toast(
      names.length
        ? `Imported ${names.length} server${names.length === 1 ? '' : 's'}: ${names.join(', ')}`
        : 'The file has no servers',
    );
    return true;
  };

  const importFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.target;
    const file = input.files?.[0];
    if (!file) return;
    await importText(await file.text(), file.name);
    input.value = ''; // the same file can be picked again
  };

  return (
    <section className="settings-section" aria-labelledby="settings-transfer">
      <h3 id="settings-transfer">Export and import</h3>
      <div className="settings-actions">
        <button onClick={() => void exportAll()}>Export all servers</button>
        <label className="settings-file-button">
          Import from a file…
          <input
            type="file"
            accept=".json,application/json"
            aria-label="Import from a Patchbay file"
            disabled={busy}
            onChange={(e) => void importFile(e)}
          />
        </label>
      </div>
      <textarea
        className="settings-paste mono"
        aria-label="Paste a Patchbay export"
        placeholder='Or paste a Patchbay export here ({"patchbay": 1, "servers": […]})'
        rows={4}
        value={pasted}
        onChange={(e) => setPasted(e.target.value)}
      />
      <div className="settings-actions">
        <button
          disabled={busy || pasted.trim() === ''}
          onClick={() => void importText(pasted, 'the pasted text').then((ok) => ok && setPasted(''))}
        >
          Import pasted text
        </button>
      </div>
      {problem && <p className="error">{problem}</p>}
    </section>
  );
}
