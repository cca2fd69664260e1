// `npm start`: make sure the Electron binary is here (downloading it on the first run), then
// build and open the desktop app. Where that cannot happen, say why and what to do instead.
import { spawn } from 'node:child_process';
import { ElectronUnavailable, resolveElectronBinary } from './electron-binary.mjs';

const SERVE_HINT = 'Or run the same UI in a browser, no Electron needed: npm run serve';

let binary;
try {
  binary = await resolveElectronBinary();
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`\npatchbay: ${message}`);
  for (const hint of err instanceof ElectronUnavailable ? err.hints : []) console.error(`  ${hint}`);
  console.error(`  ${SERVE_HINT}`);
  process.exit(1);
}

console.log(`patchbay: Electron at ${binary}`);
// electron-vite builds, then launches ELECTRON_EXEC_PATH with the app's entry (package.json `main`).
const child = spawn('electron-vite', ['preview', ...process.argv.slice(2)], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
  env: { ...process.env, ELECTRON_EXEC_PATH: binary },
});
child.on('error', (err) => {
  console.error(`patchbay: could not run electron-vite: ${err.message}. Run \`npm install\` first.`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (code !== 0 && signal === null) {
    console.error(
      `\npatchbay: the desktop app did not start (see above). On a machine without a display: ${SERVE_HINT.slice(3)}`,
    );
  }
  process.exit(code ?? 1);
});
