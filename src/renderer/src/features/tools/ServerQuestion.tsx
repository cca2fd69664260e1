import { useState } from 'react';
import type { JsonSchema, ToolServerAnswer, ToolServerRequest } from '@shared/tools';
import { SchemaForm } from './SchemaForm';
import { initialValue } from './schema-form';
import { asText } from './ToolResult';

/** A server's question during a call (elicitation or sampling), answered here. */
export function ServerQuestion({
  request,
  onAnswer,
}: {
  request: ToolServerRequest;
  onAnswer: (answer: ToolServerAnswer) => void;
}) {
  return request.method === 'elicitation/create' ? (
    <Elicitation request={request} onAnswer={onAnswer} />
  ) : (
    <Sampling request={request} onAnswer={onAnswer} />
  );
}

function Elicitation({
  request,
  onAnswer,
}: {
  request: ToolServerRequest;
  onAnswer: (a: ToolServerAnswer) => void;
}) {
  const schema = (request.params['requestedSchema'] ?? { type: 'object', properties: {} }) as JsonSchema;
  const [value, setValue] = useState<unknown>(() => initialValue(schema) ?? {});
  const message = asText(request.params['message']);
  return (
    <section className="server-question" role="group" aria-label="The server asks for input">
      <h3>The server asks for input</h3>
      <p>{message}</p>
      <SchemaForm schema={schema} value={value} onChange={setValue} />
      <div className="tools-actions">
        <button
          type="button"
          className="primary"
          onClick={() => onAnswer({ result: { action: 'accept', content: value } })}
        >
          Accept
        </button>
        <button type="button" onClick={() => onAnswer({ result: { action: 'decline' } })}>
          Decline
        </button>
        <button type="button" onClick={() => onAnswer({ result: { action: 'cancel' } })}>
          Cancel request
        </button>
      </div>
    </section>
  );
}

function Sampling({
  request,
  onAnswer,
}: {
  request: ToolServerRequest;
  onAnswer: (a: ToolServerAnswer) => void;
}) {
  const [reply, setReply] = useState('');
  const messages = Array.isArray(request.params['messages']) ? (request.params['messages'] as unknown[]) : [];
  return (
    <section className="server-question" role="group" aria-label="The server asks for a model reply">
      <h3>The server asks for a model reply (sampling)</h3>
      {typeof request.params['systemPrompt'] === 'string' && (
        <p className="tools-hint">System: {request.params['systemPrompt']}</p>
      )}
      <ol className="sampling-messages">
        {messages.map((m, i) => {
          const msg = m as { role?: string; content?: { type?: string; text?: string } };
          return (
            <li key={i}>
              <strong>{msg.role ?? '?'}:</strong>{' '}
              {msg.content?.type === 'text' ? msg.content.text : JSON.stringify(msg.content)}
            </li>
          );
        })}
      </ol>
      <label className="schema-field">
        <span className="schema-label">Your reply</span>
        <textarea aria-label="Your reply" rows={3} value={reply} onChange={(e) => setReply(e.target.value)} />
      </label>
      <div className="tools-actions">
        <button
          type="button"
          className="primary"
          onClick={() =>
            onAnswer({
              result: { role: 'assistant', content: { type: 'text', text: reply }, model: 'patchbay-user' },
            })
          }
        >
          Send reply
        </button>
        <button type="button" onClick={() => onAnswer({ error: { code: -1, message: 'The user declined' } })}>
          Decline
        </button>
      </div>
    </section>
  );
}
