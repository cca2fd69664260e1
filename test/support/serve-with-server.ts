import { ServerManager } from '../../src/main/core/manager/server-manager';
import { type RunningCli, startCli, tempDataDir } from './cli-process';
import { FIXTURE } from './engine-client';

export interface ServedUi {
  cli: RunningCli;
  /** The printed UI address, with its launch token. */
  uiUrl: string;
  /** The fixture server's MCP endpoint. */
  mcpUrl: string;
}

/**
 * `patchbay serve` with one running fixture server named `name`: a manager creates and starts
 * it and shuts down leaving it marked running, so `serve` restores it at launch — as after a
 * real restart of the app.
 */
export async function serveWithServer(
  name: string,
  options: { home?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ServedUi> {
  const dataDir = tempDataDir();
  const m = ServerManager.open({ dataDir, ...(options.home ? { home: options.home } : {}) });
  const s = await m.create({ name, command: process.execPath, args: [FIXTURE] });
  await m.start(s.id);
  await m.shutdown();
  const cli = await startCli(
    ['serve', '--data-dir', dataDir, '--port', '0'],
    new RegExp(`${name}: (http://\\S+)`),
    options.env ? { env: options.env } : {},
  );
  return { cli, uiUrl: /Patchbay UI: (\S+)/.exec(cli.output())![1]!, mcpUrl: cli.match[1]! };
}
