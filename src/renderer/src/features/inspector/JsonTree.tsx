import { memo, useState } from 'react';

/** Children shown per object or array before a "show more": big results stay responsive. */
const PAGE = 200;
/** Rows the tree shows open at first: deep enough for `result.content[0].text`, never a flood. */
const OPEN_BUDGET = 400;
/** Levels that start open whatever their size (within the budget); smaller nodes open deeper. */
const ALWAYS_OPEN_DEPTH = 2;
const SMALL_NODE = 20;
const MAX_OPEN_DEPTH = 5;

/** How many rows the nodes opened so far have spent, for one tree's first render. */
interface Budget {
  left: number;
}

/** Whether a node starts open: the first two levels, then small nodes a few levels down, within the budget. */
export function startsOpen(depth: number, children: number, budget: Budget): boolean {
  const wanted = depth < ALWAYS_OPEN_DEPTH || (depth < MAX_OPEN_DEPTH && children <= SMALL_NODE);
  if (!wanted || budget.left < Math.min(children, PAGE)) return false;
  budget.left -= Math.min(children, PAGE);
  return true;
}

/** A collapsible view of a parsed message; it starts open down to the content people look for. */
export const JsonTree = memo(function JsonTree({ value }: { value: unknown }) {
  const [budget] = useState<Budget>(() => ({ left: OPEN_BUDGET }));
  return (
    <div className="json-tree">
      <JsonNode name={undefined} value={value} depth={0} budget={budget} />
    </div>
  );
});

function JsonNode({
  name,
  value,
  depth,
  budget,
}: {
  name: string | undefined;
  value: unknown;
  depth: number;
  budget: Budget;
}) {
  const [open, setOpen] = useState(() =>
    value !== null && typeof value === 'object'
      ? startsOpen(depth, Object.keys(value).length, budget)
      : false,
  );
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
            <JsonNode key={k} name={k} value={v} depth={depth + 1} budget={budget} />
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
