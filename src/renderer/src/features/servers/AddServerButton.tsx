import { openAddServer } from './dialogs-store';

/** "+ Add server": opens the server form (which links to paste and import). */
export function AddServerButton() {
  return (
    <button className="primary" onClick={() => openAddServer()}>
      + Add server
    </button>
  );
}
