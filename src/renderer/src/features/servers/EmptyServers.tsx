import { openAddServer, openImport } from './dialogs-store';
import './servers.css';

/** What a user sees before adding a server: the first step, said plainly, with the ways to take it. */
export function EmptyServers() {
  return (
    <section className="empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">No servers yet</h2>
      <p>Add a server or import the ones your AI clients already use.</p>
      <div className="empty-actions">
        <button className="primary" onClick={() => openAddServer()}>
          Add server
        </button>
        <button onClick={openImport}>Import from installed clients</button>
        <button onClick={() => openAddServer(true)}>Paste a client config</button>
      </div>
    </section>
  );
}
