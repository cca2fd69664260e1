import { MAX_PASTE_CHARS, type PastedConfig, type PastedServer } from '@shared/imported-server';
import { useEffect, useId, useRef, useState } from 'react';
import { api } from '../../api/api';
import { toast } from '../../ui/toast';
import { formFromPasted, toServerInput } from './server-form-model';
import { createServer } from './servers-store';
import { shownCommand } from './shown-command';

/**
 * "Paste a client config": a config file, one entry, or a command line. One server fills
 * the form; several are listed to pick one or add them all.
 */
export function PastePanel({
  onUse,
  onAddedAll,
}: {
  onUse: (s: PastedServer) => void;
  onAddedAll: () => void;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [reading, setReading] = useState(false);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<PastedConfig>();
  /** Per listed server (by index): why adding it failed. */
  const [failures, setFailures] = useState<Record<number, string>>({});
  const [adding, setAdding] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    // A frame later: a dialog opening with this panel moves the focus itself after our effects.
    const frame = requestAnimationFrame(() => box.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, []);

  const read = async () => {
    setReading(true);
    const parsed = await api.call('clients.parse', { text });
    setReading(false);
    setFailures({});
    if (!parsed.ok) {
      setResult(undefined);
      setError(parsed.error.message);
      return;
    }
    setError(undefined);
    setResult(parsed.value);
    const only = parsed.value.servers.length === 1 ? parsed.value.servers[0] : undefined;
    if (only) onUse(only);
  };

  const addAll = async (servers: PastedServer[]) => {
    setAdding(true);
    const failed: Record<number, string> = {};
    const left: PastedServer[] = [];
    let added = 0;
    // One after another: names are checked against the servers added just before.
    for (const s of servers) {
      const r = await createServer(toServerInput(formFromPasted(s)).input);
      if (r.ok) added++;
      else {
        failed[left.length] =
          r.error.fields?.map((f) => `${f.field}: ${f.message}`).join('; ') || r.error.message;
        left.push(s);
      }
    }
    setAdding(false);
    // Only what failed stays listed: a second "Add all" must not add the others twice.
    if (result && added > 0) setResult({ ...result, servers: left });
    setFailures(failed);
    if (added > 0) toast(`Added ${added} server${added === 1 ? '' : 's'}`);
    if (Object.keys(failed).length === 0) onAddedAll();
  };

  // Refused before it is sent or drawn: a pasted book must not freeze the window.
  const tooLarge =
    text.length > MAX_PASTE_CHARS
      ? `That text is ${Math.round(text.length / 1024)} KB; a config snippet fits in ${MAX_PASTE_CHARS / 1024} KB. Paste just the server's entry or its README section.`
      : undefined;
  const shownError = tooLarge ?? error;
  const servers = result?.servers ?? [];
  return (
    <section className="paste-panel" aria-label="Paste a client config">
      <label htmlFor={`${id}text`}>Client config or command line</label>
      <textarea
        ref={box}
        id={`${id}text`}
        className="mono"
        rows={5}
        spellCheck={false}
        aria-invalid={shownError ? true : undefined}
        aria-describedby={shownError ? `${id}error` : `${id}hint`}
        placeholder={'{ "mcpServers": { "fs": { "command": "npx", "args": ["-y", "…"] } } }'}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {shownError ? (
        <span id={`${id}error`} className="field-error">
          {shownError}
        </span>
      ) : (
        <span id={`${id}hint`} className="field-hint">
          From a README or a client's settings: a whole file, one entry, a README section, claude mcp add …,
          or a command like npx -y …
        </span>
      )}
      <div>
        <button
          type="button"
          disabled={reading || text.trim() === '' || tooLarge !== undefined}
          onClick={() => void read()}
        >
          {reading ? 'Reading…' : 'Read config'}
        </button>
      </div>
      {servers.length > 1 && (
        <div className="paste-found">
          <div className="row-between">
            <strong>Found {servers.length} servers</strong>
            <button type="button" className="primary" disabled={adding} onClick={() => void addAll(servers)}>
              {adding ? 'Adding…' : `Add all ${servers.length}`}
            </button>
          </div>
          <ul className="plain-list">
            {servers.map((s, i) => (
              <li key={i} className="found-item">
                <div className="row-between">
                  <span>
                    <strong>{s.name}</strong> <code className="muted">{shownCommand(s.command, s.args)}</code>
                  </span>
                  <button type="button" aria-label={`Use ${s.name}`} onClick={() => onUse(s)}>
                    Use
                  </button>
                </div>
                <Warnings items={s.warnings} />
                {failures[i] && <p className="field-error">{failures[i]}</p>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {result && result.skipped.length > 0 && (
        <div className="skipped-list">
          <strong>Not added</strong>
          <ul className="plain-list">
            {result.skipped.map((s, i) => (
              <li key={i}>
                <strong>{s.name}</strong>: <span className="muted">{s.reason}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {result && servers.length === 0 && <p className="muted">No stdio server in that text.</p>}
    </section>
  );
}

/** Things to check before adding: client variables kept as written, a renamed entry. */
export function Warnings({ items }: { items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="warnings" aria-label="Check before adding">
      {items.map((w, i) => (
        <li key={i}>⚠ {w}</li>
      ))}
    </ul>
  );
}
