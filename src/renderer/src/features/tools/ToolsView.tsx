import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  SavedCall,
  ToolCatalog,
  ToolInfo,
  ToolOutcome,
  ToolProgress,
  ToolServerRequest,
} from '@shared/tools';
import { useStore } from 'zustand';
import { api } from '../../api/api';
import { openInToolsStore, takeToolCall } from './open-in-tools';
import { CatalogLists } from './CatalogLists';
import { SavedCalls } from './SavedCalls';
import { ServerQuestion } from './ServerQuestion';
import { ToolCallPanel } from './ToolCallPanel';
import './tools.css';

/** The running call of the tab, and what came for it so far. */
/** What the tool panel starts from: a saved call's arguments, or a captured call's (Open in Tools). */
export interface Preset {
  key: string;
  args: Record<string, unknown>;
  savedId?: string;
}

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
  const [saved, setSaved] = useState<SavedCall[]>([]);
  const [preset, setPreset] = useState<Preset>();
  // A captured tools/call sent here from the inspector ("Open in Tools"): into the form, to edit and send.
  const opened = useStore(openInToolsStore, (s) => s.request);
  useEffect(() => {
    const request = takeToolCall(serverId);
    if (!request) return;
    setSelected(request.name);
    setPreset({ key: `opened-${request.n}`, args: request.args });
    setCall(undefined);
  }, [opened, serverId]);
  // Outcomes of calls whose id has not come back yet (the event may beat the command's answer).
  const early = useRef(new Map<string, ToolOutcome>());

  const loadSaved = useCallback(async () => {
    const res = await api.call('tools.saved', { id: serverId });
    if (res.ok) setSaved(res.value);
  }, [serverId]);

  const load = useCallback(async () => {
    setError(undefined);
    void loadSaved();
    const res = await api.call('tools.catalog', { id: serverId });
    if (res.ok) setCatalog(res.value);
    else setError(res.error.message);
  }, [serverId, loadSaved]);

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
        if (o.savedId !== undefined) void loadSaved();
      }),
      api.on('tools.request', (r) => {
        if (r.serverId === serverId) setQuestions((qs) => [...qs.slice(-15), r]);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [serverId, loadSaved]);

  const run = async (tool: ToolInfo, args: Record<string, unknown>, savedId?: string) => {
    setCall({ callId: undefined, progress: undefined, outcome: undefined });
    const res = await api.call('tools.call', {
      id: serverId,
      name: tool.name,
      args,
      ...(savedId !== undefined ? { savedId } : {}),
    });
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

  const save = async (tool: ToolInfo, name: string, args: Record<string, unknown>) => {
    const res = await api.call('tools.save', { id: serverId, name, tool: tool.name, args });
    if (res.ok) {
      setSaved((s) => [...s, res.value]);
      setPreset({ key: res.value.id, args, savedId: res.value.id });
    } else setError(res.error.message);
  };

  const openSaved = (s: SavedCall) => {
    setSelected(s.tool);
    setPreset({ key: s.id, args: s.args, savedId: s.id });
    setCall(
      s.lastOutcome
        ? { callId: s.lastOutcome.callId, progress: undefined, outcome: s.lastOutcome }
        : undefined,
    );
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

  // A saved or captured call of a tool the server no longer lists still runs (its schema unknown).
  const tool =
    catalog.tools.find((t) => t.name === selected) ??
    (selected !== undefined && preset ? { name: selected, inputSchema: { type: 'object' } } : undefined);
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
                  setPreset(undefined);
                  setCall(undefined);
                }}
              >
                <span className="tool-name">{t.name}</span>
                {t.description && <span className="tools-hint tool-description">{t.description}</span>}
              </button>
            </li>
          ))}
        </ul>
        <SavedCalls
          saved={saved}
          onOpen={openSaved}
          onRun={(s) => {
            openSaved(s);
            setCall({ callId: undefined, progress: undefined, outcome: undefined });
            void run({ name: s.tool, inputSchema: {} }, s.args, s.id);
          }}
          onDelete={(s) => {
            setSaved((all) => all.filter((x) => x.id !== s.id));
            void api.call('tools.deleteSaved', { id: serverId, savedId: s.id });
          }}
        />
        <CatalogLists catalog={catalog} />
      </nav>
      <div className="tools-main">
        {tool ? (
          <ToolCallPanel
            key={`${tool.name} ${preset?.key ?? ''}`}
            tool={tool}
            preset={preset}
            call={call}
            // The outcome is kept for the saved call only when these are its arguments.
            onCall={(t, args) =>
              run(
                t,
                args,
                preset && JSON.stringify(args) === JSON.stringify(preset.args) ? preset.savedId : undefined,
              )
            }
            onSave={save}
            onCancel={cancel}
          >
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
