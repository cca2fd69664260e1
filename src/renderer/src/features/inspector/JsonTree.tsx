import { memo, useState } from 'react';

/** Children shown per object or array before a "show more": big results stay responsive. */
const PAGE = 200;

/** A collapsible view of a parsed message; the first three levels start open. */
export const JsonTree = memo(function JsonTree({ value }: { value: unknown }) {
  return (
    <div className="json-tree">
      <JsonNode name={undefined} value={value} depth={0} />
    </div>
  );
});

function JsonNode({ name, value, depth }: { name: string | undefined; value: unknown; depth: number }) {
  const [open, setOpen] = useState(depth < 3);
  const [limit, setLimit] = useState(PAGE);
  const label = name === undefined ? null : <span className="json-key">{name}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-leaf">
        {label}
        <span className={`json-${value === null ? 'null' : typeof value}`}>{JSON.stringify(value)}</span>
      </div>
    );
  }
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, unknown>);
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {label}
        <span className="json-summary">{summary}</span>
      </summary>
      {/* Closed nodes render no children: a 10,000-item array costs nothing until opened. */}
      {open && (
        <div className="json-children">
          {entries.slice(0, limit).map(([k, v]) => (
            <JsonNode key={k} name={k} value={v} depth={depth + 1} />
          ))}
          {entries.length > limit && (
            <button className="link-button" onClick={() => setLimit((n) => n + PAGE * 5)}>
              Show more ({entries.length - limit} left)
            </button>
          )}
        </div>
      )}
    </details>
  );
}
