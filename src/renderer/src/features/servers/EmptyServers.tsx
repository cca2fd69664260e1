/** What a user sees before adding a server: the first step, said plainly. */
export function EmptyServers() {
  return (
    <section className="empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">No servers yet</h2>
      <p>Add a server or import the ones your AI clients already use.</p>
    </section>
  );
}
