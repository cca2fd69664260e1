import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { version } from '../../../package.json';
import { defaultDataDir } from '../core/data-dir';
import { PatchbayError } from '../core/errors';
import { openInBrowser } from './open-browser';
import { runCommand } from './run-command';

const USAGE = `Usage: patchbay <command> [options]

Commands:
  run       Front one stdio MCP server with HTTP: patchbay run [options] -- <command> [args…]
            (patchbay run --help for its options)
  serve     Serve the Patchbay UI in a browser (no display needed) and run your servers
            --port <n>        port on 127.0.0.1 (default 7300; 0 = any free port)
            --data-dir <dir>  where the server list lives (default: the XDG data dir)
            --open            open the UI in the default browser ($BROWSER if set)

Options:
  -h, --help      show this help
  -v, --version   print the version
`;

/** Entry of the `patchbay` command; returns the exit code (or never, while serving). */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (command === '-v' || command === '--version') {
    process.stdout.write(`patchbay ${version}\n`);
    return 0;
  }
  if (command === 'serve') return serve(rest);
  if (command === 'run') return runCommand(rest);
  process.stderr.write(`patchbay: unknown command "${command}"\n\n${USAGE}`);
  return 2;
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '7300' },
      'data-dir': { type: 'string' },
      open: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`patchbay: --port must be a whole number from 0 to 65535, got "${values.port}"\n`);
    return 2;
  }
  // The CLI bundle sits in out/main; the renderer build beside it in out/renderer.
  const rendererDir = join(import.meta.dirname, '../renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    process.stderr.write('patchbay: the UI is not built. Run `npm run build` first.\n');
    return 1;
  }
  // Loaded here, not at the top: `patchbay run` needs none of it (SQLite, zod, ws).
  const [{ ServerManager }, { ApiHub }, { startHeadlessShell }] = await Promise.all([
    import('../core/manager/server-manager'),
    import('../core/api/api-hub'),
    import('../headless'),
  ]);
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const manager = ServerManager.open({ dataDir });
  const hub = new ApiHub(manager);
  const shell = await startHeadlessShell({ rendererDir, port, hub }).catch(async (err: unknown) => {
    await manager.shutdown();
    throw err;
  });
  manager.reservePort(Number(new URL(shell.url).port), "Patchbay's own window");
  // Handled before anything is printed: a signal sent as soon as the UI line shows (during
  // restore) must still stop servers and exit 0, not kill the process mid-start.
  const browser: { opened?: ReturnType<typeof openInBrowser> } = {}; // set once the handlers are in
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\nReceived ${signal}, stopping…\n`);
    browser.opened?.dispose();
    hub.close();
    Promise.all([shell.close(), manager.shutdown()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // `on`, not `once`: the child registry's safety net stands aside only while another
  // listener is still registered, and a `once` listener is removed before it runs.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`Patchbay UI: ${shell.url}\nData: ${dataDir}\n`);
  const restored = await manager.restore();
  for (const s of restored) {
    const name = manager.get(s.id).name;
    process.stdout.write(
      // The capability URL (`?key=…` when the server has a key): it works pasted as-is.
      s.url
        ? `  ${name}: ${manager.connectUrls(s.id).url}\n`
        : `  ${name}: not started (${s.error?.message ?? s.state.status})\n`,
    );
  }
  if (values.open) browser.opened = openInBrowser(shell.url);
  return new Promise<number>(() => {}); // runs until a signal stops it
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message =
      err instanceof PatchbayError ? err.message : String(err instanceof Error ? err.stack : err);
    process.stderr.write(`patchbay: ${message}\n`);
    process.exit(1);
  },
);
