import { EmptyServers } from './features/servers/EmptyServers';
import { currentShell } from './shell';

export function App() {
  const shell = currentShell();
  return (
    <div className="app">
      <header className="app-header">
        <h1>Patchbay</h1>
        <span className="shell-tag" data-testid="shell-kind">
          {shell.kind === 'electron' ? 'desktop' : 'browser'}
        </span>
      </header>
      <main className="app-main">
        <EmptyServers />
      </main>
    </div>
  );
}
