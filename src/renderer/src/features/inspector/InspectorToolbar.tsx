import type { FrameKind, Leg } from '@shared/frames';
import { type Ref, useId, useState } from 'react';
import { useStore } from 'zustand';
import { toast } from '../../ui/toast';
import { LEGS, LEG_ARROW, formatCount, shortSession, toNdjsonLines } from './frame-format';
import { shownCount } from './FrameList';
import { clearFrames, frameIndex, framesStore } from './frames-store';
import { inspectorStore, resetView, setFilterText, setQuickFilter, togglePause } from './inspector-store';

const KINDS: readonly FrameKind[] = [
  'request',
  'response',
  'notification',
  'error',
  'noise',
  'endpoint',
  'keepalive',
  'priming',
  'note',
];

/** Filter box, quick selects, pause, export and clear, with the counts that matter. */
export function InspectorToolbar({
  serverId,
  serverName,
  filterRef,
}: {
  serverId: string;
  serverName: string;
  filterRef: Ref<HTMLInputElement>;
}) {
  useStore(framesStore, (s) => s.version);
  const skipped = useStore(framesStore, (s) => s.skipped);
  const dropped = useStore(framesStore, (s) => s.dropped);
  const s = useStore(inspectorStore);
  const [clearing, setClearing] = useState(false);
  const problemsId = useId();
  const shown = shownCount(s.paused, s.pausedAtSeq);
  const arrived = frameIndex.viewLength - shown;

  const exportNdjson = () => {
    const frames = (function* () {
      for (let i = 0; i < shown; i++) yield frameIndex.viewAt(i)!;
    })();
    const blob = new Blob(toNdjsonLines(frames), { type: 'application/x-ndjson' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `patchbay-${serverName.replace(/[^\w.-]+/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson`;
    a.click();
    // The download has started from the object URL by now; keep it a little for slow disks.
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
    toast(`Exported ${formatCount(shown)} frames`);
  };

  const clear = async () => {
    setClearing(true);
    try {
      // A failure shows above the list (frames-store keeps the engine's reason).
      if (await clearFrames(serverId)) resetView();
    } finally {
      setClearing(false);
    }
  };

  return (
    <div className="inspector-toolbar">
      <div className="inspector-filters">
        <input
          ref={filterRef}
          className="frame-filter"
          type="search"
          aria-label="Filter frames"
          aria-describedby={s.problems.length ? problemsId : undefined}
          aria-invalid={s.problems.length > 0}
          placeholder="Filter: method:tools/call session:a1f leg:stdin kind:error id:7 by:patchbay or any text   ( / )"
          value={s.filterText}
          spellCheck={false}
          onChange={(e) => setFilterText(e.target.value)}
        />
        <select
          aria-label="Leg"
          value={s.leg ?? ''}
          onChange={(e) => setQuickFilter({ leg: (e.target.value || undefined) as Leg | undefined })}
        >
          <option value="">All legs</option>
          {LEGS.map((l) => (
            <option key={l} value={l}>
              {LEG_ARROW[l]} {l}
            </option>
          ))}
        </select>
        <select
          aria-label="Kind"
          value={s.kind ?? ''}
          onChange={(e) => setQuickFilter({ kind: (e.target.value || undefined) as FrameKind | undefined })}
        >
          <option value="">All kinds</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <select
          aria-label="Session"
          value={s.session ?? ''}
          onChange={(e) => setQuickFilter({ session: e.target.value || undefined })}
        >
          <option value="">All sessions</option>
          {frameIndex.sessions().map((id) => (
            <option key={id} value={id} title={id}>
              {shortSession(id)}
            </option>
          ))}
          {s.session && !frameIndex.sessions().includes(s.session) && (
            <option value={s.session}>{shortSession(s.session)}</option>
          )}
        </select>
        <label className="toggle">
          <input
            type="checkbox"
            checked={s.showKeepalives}
            onChange={(e) => setQuickFilter({ showKeepalives: e.target.checked })}
          />
          Show keep-alives
        </label>
        <label className="toggle" title="The start-up probe, session revivals and their notes (by:patchbay)">
          <input
            type="checkbox"
            checked={s.showOwn}
            onChange={(e) => setQuickFilter({ showOwn: e.target.checked })}
          />
          Show Patchbay&apos;s own traffic
        </label>
      </div>
      <div className="inspector-actions">
        <span className="frame-count" data-testid="frame-count" data-held={frameIndex.size}>
          {formatCount(shown)}
          {shown !== frameIndex.size && ` of ${formatCount(frameIndex.size)}`} frames
        </span>
        {s.paused && (
          <span className="paused-count" role="status" data-testid="paused-count">
            <PlayPauseIcon paused={false} /> {formatCount(arrived)} new
          </span>
        )}
        {dropped > 0 && (
          <span
            className="note"
            data-testid="frames-dropped"
            title="The inspector keeps the newest 100,000 frames"
          >
            {formatCount(dropped)} older frames dropped
          </span>
        )}
        {skipped > 0 && (
          <span
            className="note warn"
            data-testid="frames-skipped"
            title="Frames the engine did not send because this view fell behind"
          >
            {formatCount(skipped)} skipped
          </span>
        )}
        <span className="spacer" />
        <button onClick={togglePause} title="Space">
          <PlayPauseIcon paused={s.paused} /> {s.paused ? 'Resume' : 'Pause'}
        </button>
        <button
          onClick={exportNdjson}
          disabled={shown === 0}
          title="The frames the list shows, one JSON per line"
        >
          Export NDJSON
        </button>
        <button onClick={() => void clear()} disabled={clearing}>
          Clear
        </button>
      </div>
      {s.problems.length > 0 && (
        <p className="filter-problems" id={problemsId}>
          {s.problems.join(' · ')}
        </p>
      )}
    </div>
  );
}

/** Drawn, not a glyph: ⏸ is missing from common Linux fonts and shows as a box. */
function PlayPauseIcon({ paused }: { paused: boolean }) {
  return (
    <svg className="play-pause-icon" width="9" height="10" viewBox="0 0 9 10" aria-hidden="true">
      {paused ? (
        <path d="M0 0 L9 5 L0 10 Z" fill="currentColor" />
      ) : (
        <path d="M0 0 H3 V10 H0 Z M6 0 H9 V10 H6 Z" fill="currentColor" />
      )}
    </svg>
  );
}
