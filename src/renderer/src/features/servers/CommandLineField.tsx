import { splitCommandLine } from '@shared/command-line';
import { type FieldKit, FieldNotes, fieldA11y } from './form-fields';
import { FIELD } from './server-form-model';

const MAX_CHIPS = 64;

/** The command line in one input, split like a shell; the words it becomes show as chips. */
export function CommandLineField({
  kit,
  value,
  onChange,
}: {
  kit: FieldKit;
  value: string;
  onChange: (value: string) => void;
}) {
  const split = splitCommandLine(value);
  const words = split.ok ? split.words : [];
  // A real command has a handful of words; drawing thousands (a pasted text) would freeze the window.
  const shown = words.slice(0, MAX_CHIPS);
  return (
    <div className="form-row">
      <label htmlFor={kit.id(FIELD.commandLine)}>Command</label>
      <div className="form-control">
        <input
          {...fieldA11y(kit, FIELD.commandLine, true)}
          className="mono"
          spellCheck={false}
          autoComplete="off"
          placeholder="npx -y @modelcontextprotocol/server-filesystem ~/notes"
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
        {words.length > 0 && (
          <ol className="argv" aria-label="Runs as">
            {shown.map((w, i) => (
              <li key={i} className={i === 0 ? 'chip chip-command' : 'chip'}>
                {w === '' ? "''" : w}
              </li>
            ))}
            {words.length > shown.length && (
              <li className="chip chip-more">+{words.length - shown.length} more</li>
            )}
          </ol>
        )}
        <FieldNotes
          kit={kit}
          field={FIELD.commandLine}
          hint="As typed in a terminal: quotes group words; it runs without a shell."
        />
      </div>
    </div>
  );
}
