import type { ToolCallResult, ToolContent, ToolOutcome } from '@shared/tools';

/** A call's outcome as people expect to see it: text, pictures, sound, resources, structured JSON, errors. */
export function ToolResult({ outcome }: { outcome: ToolOutcome }) {
  if (!outcome.ok) {
    return (
      <section className={`tool-result ${outcome.cancelled ? 'cancelled' : 'failed'}`} aria-label="Result">
        <p
          className={outcome.cancelled ? 'tools-hint' : 'error'}
          role={outcome.cancelled ? 'status' : 'alert'}
        >
          {outcome.cancelled ? 'Cancelled.' : `The call failed: ${outcome.error.message}`}
        </p>
      </section>
    );
  }
  const result: ToolCallResult = outcome.result;
  return (
    <section
      className={`tool-result${result.isError ? ' is-error' : ''}`}
      aria-label="Result"
      data-call-id={outcome.callId}
    >
      {result.isError && (
        <p className="error" role="alert">
          The tool reported an error
        </p>
      )}
      {(result.content ?? []).map((c, i) => (
        <ContentItem key={i} content={c} index={i} />
      ))}
      {result.structuredContent !== undefined && (
        <figure className="tool-structured">
          <figcaption>Structured content</figcaption>
          <pre aria-label="Structured content">{JSON.stringify(result.structuredContent, null, 2)}</pre>
        </figure>
      )}
    </section>
  );
}

function ContentItem({ content, index }: { content: ToolContent; index: number }) {
  const c = content as Record<string, unknown>;
  switch (content.type) {
    case 'text':
      return <pre className="tool-text">{asText(c['text'])}</pre>;
    case 'image':
      return (
        <img
          className="tool-image"
          alt={`Image ${index + 1} (${asText(c['mimeType'])})`}
          src={`data:${asText(c['mimeType'])};base64,${asText(c['data'])}`}
        />
      );
    case 'audio':
      return (
        <audio
          className="tool-audio"
          controls
          aria-label={`Audio ${index + 1} (${asText(c['mimeType'])})`}
          src={`data:${asText(c['mimeType'])};base64,${asText(c['data'])}`}
        />
      );
    case 'resource': {
      const r = (c['resource'] ?? {}) as { uri?: string; mimeType?: string; text?: string; blob?: string };
      return (
        <figure className="tool-resource" aria-label={`Resource ${r.uri ?? ''}`}>
          <figcaption>
            Resource <code>{r.uri}</code> {r.mimeType && <span className="tools-hint">{r.mimeType}</span>}
          </figcaption>
          {r.text !== undefined ? (
            <pre>{r.text}</pre>
          ) : (
            <p className="tools-hint">
              {r.blob ? `${Math.round((r.blob.length * 3) / 4)} bytes of binary data` : 'Empty'}
            </p>
          )}
        </figure>
      );
    }
    case 'resource_link':
      return (
        <p className="tool-resource-link">
          Link to resource <code>{asText(c['uri'])}</code>
          {c['name'] !== undefined && ` (${asText(c['name'])})`}
          {c['description'] !== undefined && <span className="tools-hint"> {asText(c['description'])}</span>}
        </p>
      );
    default:
      return <pre className="tool-unknown">{JSON.stringify(content, null, 2)}</pre>;
  }
}

/** A content field as text, whatever the server put there. */
export function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  return v === undefined ? '' : JSON.stringify(v);
}
