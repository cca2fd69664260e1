import { useCallback, useEffect, useRef, useState } from 'react';
import type { ToolCatalog, ToolInfo, ToolOutcome, ToolProgress, ToolServerRequest } from '@shared/tools';
import { api } from '../../api/api';
import { CatalogLists } from './CatalogLists';
import { ServerQuestion } from './ServerQuestion';
import { ToolCallPanel } from './ToolCallPanel';
import './tools.css';

/** The running call of the tab, and what came for it so far. */
export interface CallState {
  callId: string | undefined;
  progress: ToolProgress | undefined;
  outcome: ToolOutcome | undefined;
}

/** The Tools tab: what a running server offers, called from the window through Patchbay's own session. */
export function ToolsView({ serverId, running }: { serverId: string; running: boolean }) {
  const [catalog, setCatalog] = useState<ToolCatalog>();
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<string>();
  const [call, setCall] = useState<CallState>();
  const [questions, setQuestions] = useState<ToolServerRequest[]>([]);
  // Outcomes of calls whose id has not come back yet (the event may beat the command's answer).
  const early = useRef(new Map<string, ToolOutcome>());

  const load = useCallback(async () => {
    setError(undefined);
    const res = await api.call('tools.catalog', { id: serverId });
    if (res.ok) setCatalog(res.value);
    else setError(res.error.message);
  }, [serverId]);

  useEffect(() => {
    setCatalog(undefined);
    setCall(undefined);
    setQuestions([]);
    if (running) void load();
  }, [running, load]);

  useEffect(() => {
    const offs = [
      api.on('tools.progress', (p) => {
        if (p.serverId !== serverId) return;
        setCall((c) => (c && c.callId === p.callId ? { ...c, progress: p } : c));
      }),
      api.on('tools.result', (o) => {
        if (o.serverId !== serverId) return;
        setCall((c) => {
          if (c && c.callId === o.callId) return { ...c, outcome: o };
          if (c && c.callId === undefined) {
            early.current.set(o.callId, o);
            if (early.current.size > 16) early.current.delete(early.current.keys().next().value!);
          }
          return c;
        });
        setQuestions((qs) => qs.filter((q) => q.callId !== o.callId));
      }),
      api.on('tools.request', (r) => {
        if (r.serverId === serverId) setQuestions((qs) => [...qs.slice(-15), r]);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [serverId]);

  const run = async (tool: ToolInfo, args: Record<string, unknown>) => {
    setCall({ callId: undefined, progress: undefined, outcome: undefined });
    const res = await api.call('tools.call', { id: serverId, name: tool.name, args });
    if (!res.ok) {
      const outcome: ToolOutcome = { serverId, callId: '', ok: false, error: res.error };
      setCall({ callId: '', progress: undefined, outcome });
      return;
    }
    const callId = res.value.callId;
    const outcome = early.current.get(callId);
    early.current.delete(callId);
    setCall((c) => ({ callId, progress: c?.progress, outcome }));
  };

  const cancel = async () => {
    if (!call?.callId) return;
    await api.call('tools.cancel', { id: serverId, callId: call.callId });
  };

  if (!running) {
    return (
      <div className="tools-view empty-state">
        <p>Start the server to use its tools.</p>
      </div>
    );
  }
  if (error) {
    return (
      <div className="tools-view">
        <p className="error" role="alert">
          Could not list what the server offers: {error}
        </p>
        <button type="button" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  }
  if (!catalog) return <p className="tools-view tools-hint">Asking the server what it offers…</p>;

  const tool = catalog.tools.find((t) => t.name === selected);
  return (
    <div className="tools-view">
      <nav className="tools-sidebar" aria-label="What the server offers">
        <div className="tools-sidebar-head">
          <h3 id="tools-heading">Tools ({catalog.tools.length})</h3>
          <button type="button" onClick={() => void load()} aria-label="Refresh the list">
            Refresh
          </button>
        </div>
        {catalog.tools.length === 0 && <p className="tools-hint">This server offers no tools.</p>}
        <ul className="tools-list" aria-labelledby="tools-heading">
          {catalog.tools.map((t) => (
            <li key={t.name}>
              <button
                type="button"
                className={t.name === selected ? 'selected' : undefined}
                aria-pressed={t.name === selected}
                onClick={() => {
                  setSelected(t.name);
                  setCall(undefined);
                }}
              >
                <span className="tool-name">{t.name}</span>
                {t.description && <span className="tools-hint tool-description">{t.description}</span>}
              </button>
            </li>
          ))}
        </ul>
        <CatalogLists catalog={catalog} />
      </nav>
      <div className="tools-main">
        {tool ? (
          <ToolCallPanel key={tool.name} tool={tool} call={call} onCall={run} onCancel={cancel}>
            {questions.map((q) => (
              <ServerQuestion
                key={q.requestId}
                request={q}
                onAnswer={(answer) => {
                  setQuestions((qs) => qs.filter((x) => x.requestId !== q.requestId));
                  void api.call('tools.answer', { id: serverId, requestId: q.requestId, answer });
                }}
              />
            ))}
          </ToolCallPanel>
        ) : (
          <p className="tools-hint">Pick a tool to call it.</p>
        )}
      </div>
    </div>
  );
}
