import { type ReactNode, useState } from 'react';
import type { ToolInfo } from '@shared/tools';
import { SchemaForm } from './SchemaForm';
import { initialValue, missingRequired } from './schema-form';
import { ToolResult } from './ToolResult';
import type { CallState, Preset } from './ToolsView';

/** One tool: its form (or raw JSON), Call, progress with Cancel, the server's questions, the result. */
export function ToolCallPanel({
  tool,
  preset,
  call,
  onCall,
  onSave,
  onCancel,
  children,
}: {
  tool: ToolInfo;
  preset: Preset | undefined;
  call: CallState | undefined;
  onCall: (tool: ToolInfo, args: Record<string, unknown>) => Promise<void>;
  onSave: (tool: ToolInfo, name: string, args: Record<string, unknown>) => Promise<void>;
  onCancel: () => Promise<void>;
  children?: ReactNode;
}) {
  const [value, setValue] = useState<unknown>(() => preset?.args ?? initialValue(tool.inputSchema) ?? {});
  const [saveName, setSaveName] = useState('');
  const [raw, setRaw] = useState<string>();
  const [rawError, setRawError] = useState<string>();
  const running = call !== undefined && call.outcome === undefined;
  const missing = raw === undefined ? missingRequired(tool.inputSchema, value) : [];

  /** The arguments as they stand, or undefined (with the reason shown) when the raw JSON is not an object. */
  const currentArgs = (): Record<string, unknown> | undefined => {
    let args = value;
    if (raw !== undefined) {
      try {
        args = JSON.parse(raw || '{}');
      } catch (err) {
        setRawError((err as Error).message);
        return undefined;
      }
    }
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      setRawError('Arguments must be a JSON object');
      return;
    }
    return args as Record<string, unknown>;
  };
  const submit = () => {
    const args = currentArgs();
    if (args) void onCall(tool, args);
  };

  const progress = call?.progress;
  return (
    <section className="tool-panel" aria-labelledby="tool-title">
      <h3 id="tool-title">{tool.title ?? tool.name}</h3>
      {tool.description && <p className="tools-hint">{tool.description}</p>}
      <form
        aria-label={`Arguments of ${tool.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label className="tools-raw-toggle">
          <input
            type="checkbox"
            checked={raw !== undefined}
            onChange={(e) => {
              setRawError(undefined);
              if (e.target.checked) setRaw(JSON.stringify(value ?? {}, null, 2));
              else {
                try {
                  setValue(JSON.parse(raw || '{}'));
                  setRaw(undefined);
                } catch (err) {
                  setRawError((err as Error).message);
                }
              }
            }}
          />{' '}
          Edit as JSON
        </label>
        {raw === undefined ? (
          <SchemaForm schema={tool.inputSchema} value={value} onChange={setValue} />
        ) : (
          <textarea
            className="tools-raw"
            aria-label="Arguments as JSON"
            rows={8}
            spellCheck={false}
            value={raw}
            onChange={(e) => {
              setRaw(e.target.value);
              setRawError(undefined);
            }}
          />
        )}
        {rawError && (
          <p className="error" role="alert">
            Not a JSON object: {rawError}
          </p>
        )}
        {missing.length > 0 && <p className="tools-hint">Required: {missing.join(', ')}</p>}
        <div className="tools-actions">
          <button type="submit" className="primary" disabled={running || missing.length > 0}>
            Call {tool.name}
          </button>
          {running && (
            <button type="button" onClick={() => void onCancel()} disabled={!call?.callId}>
              Cancel
            </button>
          )}
        </div>
        <div className="tools-save">
          <input
            type="text"
            aria-label="Name for this call"
            placeholder={`${tool.name} …`}
            value={saveName}
            onChange={(e) => setSaveName(e.target.value)}
          />
          <button
            type="button"
            onClick={() => {
              const args = currentArgs();
              if (args) void onSave(tool, saveName.trim() || tool.name, args);
            }}
          >
            Save call
          </button>
        </div>
      </form>
      {running && (
        <div className="tool-progress" role="status" aria-label="Call in progress">
          {progress ? (
            <>
              <progress
                aria-label="Progress"
                value={progress.progress}
                {...(progress.total !== undefined ? { max: progress.total } : {})}
              />{' '}
              {progress.progress}
              {progress.total !== undefined && ` of ${progress.total}`}
              {progress.message && ` · ${progress.message}`}
            </>
          ) : (
            'Calling…'
          )}
        </div>
      )}
      {children}
      {call?.outcome && <ToolResult outcome={call.outcome} />}
    </section>
  );
}
