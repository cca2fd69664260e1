/** [⚙]: app-wide settings (frame history, close to tray, export/import). */
export function AppSettingsButton() {
  return (
    <button className="icon-button" aria-label="Settings">
      ⚙
    </button>
  );
}
