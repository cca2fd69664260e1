/** The Connect tab: what to give each AI client to reach this server. */
export function ConnectView({ serverId }: { serverId: string }) {
  return (
    <p className="muted" data-server={serverId}>
      Snippets come here.
    </p>
  );
}
