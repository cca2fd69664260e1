/** The Sessions tab: the clients connected to one server. */
export function SessionsView({ serverId }: { serverId: string }) {
  return (
    <p className="muted" data-server={serverId}>
      No sessions.
    </p>
  );
}
