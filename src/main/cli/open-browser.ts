import { spawn } from 'node:child_process';

/** Opens `url` with the platform's default handler; a missing opener is reported, not fatal. */
export function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`patchbay: could not open a browser; visit ${url}\n`));
  child.unref();
}
