/** "+ Add server": opens the server form (or paste / import). */
export function AddServerButton() {
  return <button className="primary">+ Add server</button>;
}
