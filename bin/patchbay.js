#!/usr/bin/env node
// The `patchbay` command. The engine needs Node >= 22 (better-sqlite3 13 uses N-API 10);
// when started by an older system Node, re-run under the Node 24 that `npm install`
// brought in (the `node` devDependency), so users never switch Node by hand.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'out', 'main', 'cli.js');
const major = Number(process.versions.node.split('.')[0]);

if (!existsSync(entry)) {
  process.stderr.write(`patchbay: not built yet. Run \`npm run build\` in ${root}\n`);
  process.exit(1);
}

if (major >= 22) {
  await import(pathToFileURL(entry).href);
} else {
  const candidates = ['node', 'node.exe'].map((name) => join(root, 'node_modules', 'node', 'bin', name));
  const bundled = candidates.find((file) => existsSync(file));
  if (bundled === undefined) {
    process.stderr.write(
      `patchbay: needs Node 22 or newer (this is ${process.version}). Run \`npm install\` or upgrade Node.\n`,
    );
    process.exit(1);
  }
  const child = spawn(bundled, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
  // Pass stop signals on so `kill <pid>` of this wrapper stops the real process too.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('error', (err) => {
    process.stderr.write(`patchbay: could not start ${bundled}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}
