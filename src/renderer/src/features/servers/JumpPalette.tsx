/** ⌘/Ctrl-K: jump to a server by name. */
export function JumpPalette() {
  return <button className="jump-button">⌘K Jump to server…</button>;
}
