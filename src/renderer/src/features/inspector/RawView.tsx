import { memo, useState } from 'react';
import { formatBytes } from './frame-format';

/** Past this, the raw text shows cut until asked: a megabyte in one <pre> stalls the page. */
const SHOWN_CHARS = 256 * 1024;

/**
 * The frame exactly as it crossed the wire. The text is untouched (select and copy give
 * the real bytes); line ends, trailing whitespace and CRs are marked with CSS only.
 */
export const RawView = memo(function RawView({ raw }: { raw: string }) {
  const [all, setAll] = useState(false);
  const cut = !all && raw.length > SHOWN_CHARS;
  const lines = (cut ? raw.slice(0, SHOWN_CHARS) : raw).split('\n');
  return (
    <div className="raw-view">
      <pre className="raw">
        {lines.map((line, i) => (
          <RawLine key={i} line={line} last={i === lines.length - 1} />
        ))}
      </pre>
      {cut && (
        <button onClick={() => setAll(true)}>
          Show all ({formatBytes(raw.length)}; {formatBytes(raw.length - SHOWN_CHARS)} more)
        </button>
      )}
    </div>
  );
});

function RawLine({ line, last }: { line: string; last: boolean }) {
  const cr = line.endsWith('\r');
  const body = cr ? line.slice(0, -1) : line;
  const trailing = /[ \t]+$/.exec(body);
  const text = trailing ? body.slice(0, trailing.index) : body;
  return (
    <>
      {text}
      {trailing && (
        <span className="ws-trail" title="Trailing whitespace">
          {trailing[0]}
        </span>
      )}
      {cr && (
        <span className="cr" title="Carriage return (CRLF line end)">
          {'\r'}
        </span>
      )}
      {!last && <span className="eol">{'\n'}</span>}
    </>
  );
}
