import { memo } from 'react';
import type { Frame } from '@shared/frames';
import { KIND_LABEL, LEG_ARROW, formatTime } from './frame-format';
import { select } from './inspector-store';

/** One request's frames on each leg, placed on a shared time axis; a click selects that frame. */
export const FrameTimeline = memo(function FrameTimeline({
  frames,
  selectedSeq,
}: {
  frames: readonly Frame[];
  selectedSeq: number;
}) {
  const t0 = frames[0]!.ts;
  const span = Math.max(1, frames[frames.length - 1]!.ts - t0);
  return (
    <ol className="timeline" aria-label="Timeline of this request">
      {frames.map((f) => {
        const at = f.ts - t0;
        return (
          <li key={f.seq}>
            <button
              className={`timeline-row${f.seq === selectedSeq ? ' current' : ''}`}
              aria-current={f.seq === selectedSeq ? 'true' : undefined}
              title={`${f.leg} · ${formatTime(f.ts)}`}
              onClick={() => select(f.seq, true)}
            >
              <span className="timeline-leg">
                {LEG_ARROW[f.leg]} {f.leg}
              </span>
              <span className="timeline-kind">{KIND_LABEL[f.kind]}</span>
              <span className="timeline-track" aria-hidden="true">
                <span className="timeline-dot" style={{ left: `${(at / span) * 100}%` }} />
              </span>
              <span className="timeline-at">+{at} ms</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
});
