// `npm start`: build and open the desktop app. Electron fetches its binary on first use;
// where that cannot happen (no display, no network to its host) say what to do instead.
import { spawn } from 'node:child_process';

const child = spawn('electron-vite', ['preview', ...process.argv.slice(2)], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
child.on('error', (err) => {
  console.error(`patchbay: could not run electron-vite: ${err.message}. Run \`npm install\` first.`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (code !== 0 && signal === null) {
    console.error(
      '\npatchbay: the desktop app did not start (see above). If Electron could not be downloaded\n' +
        'or this machine has no display, run the same UI in a browser: npm run serve',
    );
  }
  process.exit(code ?? 1);
});
