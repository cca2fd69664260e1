import type { Frame } from '@shared/frames';
import { useId, useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import { toast } from '../../ui/toast';
import { openInTools, toolCallOf } from '../tools/open-in-tools';
import { copyText } from '../servers/copy-text';
import { serversStore } from '../servers/servers-store';
import { type Exchange, exchangeOf } from './frame-exchange';
import {
  KIND_LABEL,
  LEG_ARROW,
  canCurl,
  formatBytes,
  formatId,
  formatTime,
  messageJson,
  parseMessage,
  shortSession,
  toCurl,
} from './frame-format';
import { frameIndex, framesStore } from './frames-store';
import { FrameTimeline } from './FrameTimeline';
import { inspectorStore, select, closeDetail } from './inspector-store';
import { JsonTree } from './JsonTree';
import { RawView } from './RawView';
import { protocolVersionOf } from './session-versions';

async function copy(text: string): Promise<void> {
  const ok = await copyText(text);
  toast(ok ? 'Copied' : 'Copy failed — the browser refused the clipboard', ok ? 'info' : 'error');
}

/** The exchange of the selected frame, recomputed only while it may still grow. */
function useExchange(frame: Frame | undefined, version: number): Exchange | undefined {
  const cache = useRef<{ frame: Frame; version: number; exchange: Exchange } | undefined>(undefined);
  if (!frame) return undefined;
  const c = cache.current;
  if (c && c.frame === frame && (c.exchange.complete || c.version === version)) return c.exchange;
  const exchange = exchangeOf(frameIndex, frame);
  cache.current = { frame, version, exchange };
  return exchange;
}

/** The selected frame: raw and JSON side by side, its pair one click away, copy and replay. */
export function FrameDetail({ serverId }: { serverId: string }) {
  const version = useStore(framesStore, (s) => s.version);
  const seq = useStore(inspectorStore, (s) => s.selectedSeq);
  const frame = seq === undefined ? undefined : frameIndex.bySeq(seq);
  const exchange = useExchange(frame, version);
  const ids = useId();
  // Parsed once per frame, not once per batch while the pane is open.
  const msg = useMemo(() => (frame ? parseMessage(frame.raw) : undefined), [frame]);

  if (!frame || !exchange) {
    return (
      <section className="frame-detail" aria-label="Frame details">
        <header className="detail-header">
          <span className="muted">
            {seq === undefined ? 'No frame selected.' : 'This frame is no longer held (cleared or dropped).'}
          </span>
          <span className="spacer" />
          <button className="icon-button" aria-label="Close details" onClick={closeDetail}>
            ✕
          </button>
        </header>
      </section>
    );
  }

  const pair = exchange.pair;
  const isRequest = frame.kind === 'request';
  const curl = () => {
    const { statuses, servers } = serversStore.getState();
    const status = statuses[serverId];
    void copy(
      toCurl(frame, {
        url: status?.url,
        protocolVersion: protocolVersionOf(frameIndex, serverId, frame),
        hasToken: servers.find((x) => x.id === serverId)?.hasToken ?? false,
      }),
    );
  };

  return (
    <section className="frame-detail" aria-label="Frame details">
      <header className="detail-header">
        <span className="detail-title mono">
          <span title={frame.leg}>{LEG_ARROW[frame.leg]}</span> {frame.transport} {KIND_LABEL[frame.kind]}{' '}
          {frame.method ?? ''} {formatId(frame.rpcId)}
        </span>
        <span className="detail-meta muted mono" title={frame.sessionId && `Session ${frame.sessionId}`}>
          #{frame.seq} · {formatTime(frame.ts)} · {formatBytes(frame.bytes)}
          {frame.sessionId ? ` · session ${shortSession(frame.sessionId)}` : ''}
          {frame.by ? " · Patchbay's own" : ''}
        </span>
        {pair ? (
          <button
            className="pair-link"
            aria-label={isRequest ? 'Go to response' : 'Go to request'}
            onClick={() => select(pair.seq, true)}
          >
            {isRequest
              ? `${LEG_ARROW[pair.leg]} ${pair.kind === 'error' ? 'error' : 'response'} ${formatId(pair.rpcId)}${
                  pair.latencyMs === undefined ? '' : ` · ${pair.latencyMs} ms`
                }`
              : `${LEG_ARROW[pair.leg]} request ${formatId(pair.rpcId)}`}
          </button>
        ) : (
          (isRequest || frame.kind === 'response' || frame.kind === 'error') &&
          frame.rpcId !== undefined && (
            <span className="muted">{isRequest ? 'no response yet' : 'request not held'}</span>
          )
        )}
        <span className="spacer" />
        <button onClick={() => void copy(messageJson(frame))} disabled={msg === undefined}>
          Copy as JSON
        </button>
        {canCurl(frame) && <button onClick={curl}>Copy as curl</button>}
        {isRequest && toolCallOf(msg) && (
          <button onClick={() => openInTools(serverId, toolCallOf(msg)!)}>Open in Tools</button>
        )}
        <button className="icon-button" aria-label="Close details" title="Esc" onClick={closeDetail}>
          ✕
        </button>
      </header>
      {exchange.frames.length > 1 && <FrameTimeline frames={exchange.frames} selectedSeq={frame.seq} />}
      <div className="detail-panes">
        {/* Focusable: a scrolling pane must be reachable from the keyboard. */}
        <section className="detail-pane" aria-labelledby={`${ids}-raw`} tabIndex={0}>
          <h3 id={`${ids}-raw`}>Raw</h3>
          <RawView key={frame.seq} raw={frame.raw} />
        </section>
        <section className="detail-pane" aria-labelledby={`${ids}-json`} tabIndex={0}>
          <h3 id={`${ids}-json`}>JSON</h3>
          {msg === undefined ? <p className="muted">Not JSON.</p> : <JsonTree key={frame.seq} value={msg} />}
        </section>
      </div>
    </section>
  );
}
