/** The Settings tab: this server's settings in the same form as Add, plus duplicate and delete. */
export function ServerSettingsTab({ serverId }: { serverId: string }) {
  return (
    <p className="muted" data-server={serverId}>
      Settings come here.
    </p>
  );
}
