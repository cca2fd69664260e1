/** The Logs tab: the server's stderr, live. */
export function LogsView({ serverId, running }: { serverId: string; running: boolean }) {
  return (
    <p className="muted" data-server={serverId}>
      {running ? 'No stderr yet.' : 'Start the server to see its stderr.'}
    </p>
  );
}
