import { AppSettingsForm } from './AppSettingsForm';
import { ExportImportSection } from './ExportImportSection';
import { ServersSection } from './ServersSection';
import './settings.css';

/** The Settings dialog's content; mounted only while the dialog is open, so it loads fresh. */
export function SettingsDialogBody() {
  return (
    <div className="app-settings">
      <AppSettingsForm />
      <ServersSection />
      <ExportImportSection />
    </div>
  );
}
