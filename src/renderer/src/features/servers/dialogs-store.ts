import { createStore } from 'zustand/vanilla';

/**
 * Which of the servers' dialogs is open. Several places open them (the header button, the
 * empty state, each other's links), and only one shows at a time.
 */
export type ServerDialog =
  { kind: 'none' } | { kind: 'add'; paste: boolean } | { kind: 'import' } | { kind: 'jump' };

export const dialogsStore = createStore<{ open: ServerDialog }>(() => ({ open: { kind: 'none' } }));

export function openAddServer(paste = false): void {
  dialogsStore.setState({ open: { kind: 'add', paste } });
}

export function openImport(): void {
  dialogsStore.setState({ open: { kind: 'import' } });
}

export function openJump(): void {
  dialogsStore.setState({ open: { kind: 'jump' } });
}

/**
 * Closes `kind` if it is still the open one: a dialog closed because another opened reports
 * its close after the switch, and must not close the new one.
 */
export function closeDialog(kind?: ServerDialog['kind']): void {
  if (kind === undefined || dialogsStore.getState().open.kind === kind)
    dialogsStore.setState({ open: { kind: 'none' } });
}
