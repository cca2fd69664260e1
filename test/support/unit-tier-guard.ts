// The unit tier starts no process and opens no socket (issue 17): anything that tries fails
// at once with this message, naming the tier to move the test to. Set up for the unit project
// only (vitest.config.ts); integration tests use real processes and sockets.
import type childProcess from 'node:child_process';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type net from 'node:net';

const require = createRequire(import.meta.url);
const refuse = (what: string) => () => {
  throw new Error(
    `The unit tier starts no process and opens no socket (${what}): make it an integration test`,
  );
};

const cp = require('node:child_process') as typeof childProcess;
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  (cp as Record<string, unknown>)[name] = refuse(`child_process.${name}`);
}
const netModule = require('node:net') as typeof net;
netModule.Server.prototype.listen = refuse('net.Server.listen') as never;
netModule.Socket.prototype.connect = refuse('net.Socket.connect');
syncBuiltinESMExports();
