import { FrameList } from './FrameList';

/** The Inspector tab: every frame of one server, live. */
export function InspectorView({ serverId, running }: { serverId: string; running: boolean }) {
  return <FrameList serverId={serverId} running={running} />;
}
