import { useEffect } from 'react';
import { useStore } from 'zustand';
import { framesStore, watchFrames } from './frames-store';

const ARROWS = {
  'client→proxy': '⇢',
  'proxy→server': '→',
  'server→proxy': '←',
  'proxy→client': '⇠',
} as const;

/** The live frame list of one server (the full inspector comes with the UI issue). */
export function FrameList({ serverId, running }: { serverId: string; running: boolean }) {
  const frames = useStore(framesStore, (s) => (s.serverId === serverId ? s.frames : []));
  const skipped = useStore(framesStore, (s) => s.skipped);
  useEffect(() => {
    if (running) void watchFrames(serverId);
  }, [serverId, running]);

  if (frames.length === 0) {
    return <p className="muted">No traffic yet. Connect a client to the URL above.</p>;
  }
  return (
    <div className="frames" role="table" aria-label="Frames">
      {skipped > 0 && <div className="skipped">{skipped} frames skipped</div>}
      {frames.map((f) => (
        <div key={f.seq} className={`frame kind-${f.kind}`} role="row" data-seq={f.seq}>
          <span className="time">{new Date(f.ts).toISOString().slice(11, 23)}</span>
          <span className="session">{f.sessionId?.slice(0, 6) ?? '—'}</span>
          <span className="leg" title={f.leg}>
            {ARROWS[f.leg]}
          </span>
          <span className="tag">{f.transport}</span>
          <span className="tag">{f.kind}</span>
          <span className="method">{f.method ?? ''}</span>
          <span className="id">{f.rpcId === undefined ? '' : `#${String(f.rpcId)}`}</span>
          <span className="size">{f.bytes} B</span>
          <span className="latency">{f.latencyMs === undefined ? '' : `${f.latencyMs} ms`}</span>
        </div>
      ))}
    </div>
  );
}
