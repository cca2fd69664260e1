import type { SavedCall } from '@shared/tools';

/** The server's saved calls: open one (with its last result), run it again with one click, delete it. */
export function SavedCalls({
  saved,
  onOpen,
  onRun,
  onDelete,
}: {
  saved: SavedCall[];
  onOpen: (call: SavedCall) => void;
  onRun: (call: SavedCall) => void;
  onDelete: (call: SavedCall) => void;
}) {
  return (
    <section className="saved-calls" aria-labelledby="saved-calls-heading">
      <h3 id="saved-calls-heading">Saved calls ({saved.length})</h3>
      {saved.length === 0 && <p className="tools-hint">Save a call to run it again with one click.</p>}
      <ul aria-labelledby="saved-calls-heading">
        {saved.map((s) => (
          <li key={s.id} className="saved-call">
            <button type="button" className="saved-call-open" onClick={() => onOpen(s)}>
              <span className="tool-name">{s.name}</span>
              <span className="tools-hint">
                {s.tool}
                {s.lastOutcome && ` · last run ${s.lastOutcome.ok ? 'ok' : 'failed'}`}
              </span>
            </button>
            <button type="button" onClick={() => onRun(s)} aria-label={`Run ${s.name}`}>
              Run
            </button>
            <button type="button" onClick={() => onDelete(s)} aria-label={`Delete ${s.name}`}>
              ✕
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
