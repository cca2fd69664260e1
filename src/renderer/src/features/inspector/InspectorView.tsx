import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { serversStore } from '../servers/servers-store';
import { FrameDetail } from './FrameDetail';
import { FrameList, type FrameListHandle } from './FrameList';
import { frameIndex, framesStore, releaseFrames, watchFrames } from './frames-store';
import { InspectorToolbar } from './InspectorToolbar';
import { clearFilter, inspectorStore, setQuickFilter, syncEpoch } from './inspector-store';
import { useInspectorKeys } from './use-inspector-keys';
import './inspector.css';

/** The Inspector tab: every frame of one server, live, with filters and the frame's details. */
export function InspectorView({ serverId, running }: { serverId: string; running: boolean }) {
  const name = useStore(serversStore, (s) => s.servers.find((x) => x.id === serverId)?.name ?? serverId);
  const held = useStore(framesStore, (s) => s.serverId === serverId);
  const epoch = useStore(framesStore, (s) => s.epoch);
  const error = useStore(framesStore, (s) => s.error);
  useStore(framesStore, (s) => s.version);
  const detailOpen = useStore(inspectorStore, (s) => s.detailOpen);
  const filter = useRef<HTMLInputElement>(null);
  const list = useRef<FrameListHandle>(null);
  useInspectorKeys(filter, list);

  useEffect(() => {
    // Another server's session ids mean nothing here.
    if (framesStore.getState().serverId !== serverId && inspectorStore.getState().session) {
      setQuickFilter({ session: undefined });
    }
  }, [serverId]);
  useEffect(() => {
    if (running) void watchFrames(serverId);
    // A stopped server keeps its last frames on view; another server's stream is let go.
    else if (framesStore.getState().serverId !== serverId) releaseFrames();
  }, [serverId, running]);
  useEffect(() => syncEpoch(epoch), [epoch]);

  const empty = !held || frameIndex.size === 0;
  return (
    <div className="inspector">
      <InspectorToolbar serverId={serverId} serverName={name} filterRef={filter} />
      {error && <p className="error">{error}</p>}
      {empty ? (
        <div className="inspector-empty">
          {running ? (
            <p>
              No traffic yet. Point an AI client at the URL above — every frame on all four legs shows here as
              it crosses.
            </p>
          ) : (
            <p>Start the server to see its traffic.</p>
          )}
        </div>
      ) : frameIndex.viewLength === 0 ? (
        <div className="inspector-empty">
          <p>No frame matches the filter.</p>
          <button onClick={clearFilter}>Clear filter</button>
        </div>
      ) : (
        <FrameList ref={list} />
      )}
      {detailOpen && held && <FrameDetail serverId={serverId} />}
    </div>
  );
}
