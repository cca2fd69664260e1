import { useState } from 'react';
import { Dialog } from '../../ui/Dialog';
import { SettingsDialogBody } from './SettingsDialogBody';

/** [⚙]: app-wide settings (frame history, close to tray, export/import, start/stop all). */
export function AppSettingsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        className="icon-button"
        aria-label="App settings"
        title="App settings"
        onClick={() => setOpen(true)}
      >
        ⚙
      </button>
      <Dialog title="Settings" open={open} onClose={() => setOpen(false)}>
        <SettingsDialogBody />
      </Dialog>
    </>
  );
}
