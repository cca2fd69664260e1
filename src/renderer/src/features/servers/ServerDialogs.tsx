import { AddServerDialog } from './AddServerDialog';
import { ImportDialog } from './ImportDialog';
import './servers.css';

/** The servers' dialogs, mounted once whatever the window shows (list or empty state). */
export function ServerDialogs() {
  return (
    <>
      <AddServerDialog />
      <ImportDialog />
    </>
  );
}
