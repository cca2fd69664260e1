import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Long enough for a cold browser start to read the file; it is gone after. */
const REDIRECT_FILE_TTL_MS = 60_000;

export interface OpenedBrowser {
  /** The redirect file handed to the browser (removed after a while, or by `dispose`). */
  file: string;
  dispose(): void;
}

/**
 * Opens `url` in the user's browser without putting it on any command line (every local
 * user can read `/proc/PID/cmdline`, and the URL carries the launch token): the browser
 * gets a 0600 HTML file in a 0700 folder that redirects to `url`. `$BROWSER` picks the
 * browser when set; else the platform's default handler. A missing opener is reported.
 */
export function openInBrowser(url: string): OpenedBrowser {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-open-')); // mkdtemp makes it 0700
  const file = join(dir, 'open-patchbay.html');
  writeFileSync(file, redirectPage(url), { mode: 0o600, flag: 'wx' });
  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    clearTimeout(timer);
    process.off('exit', dispose);
    rmSync(dir, { recursive: true, force: true });
  };
  const timer = setTimeout(dispose, REDIRECT_FILE_TTL_MS);
  timer.unref();
  process.on('exit', dispose);

  const browser = process.env['BROWSER']?.split(':')[0]?.trim();
  const [cmd, args] = browser
    ? [browser, [file]]
    : process.platform === 'darwin'
      ? ['open', [file]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', file]]
        : ['xdg-open', [file]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () =>
    process.stderr.write('patchbay: could not open a browser; open the URL printed above\n'),
  );
  child.unref();
  return { file, dispose };
}

/** A page that sends the browser on to `url` at once (the fragment goes with it). */
function redirectPage(url: string): string {
  const attr = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    '<meta name="referrer" content="no-referrer">' +
    `<meta http-equiv="refresh" content="0; url=${attr}">` +
    '<title>Opening Patchbay…</title></head>' +
    `<body><script>location.replace(${JSON.stringify(url).replace(/</g, '\\u003c')})</script>` +
    `<a href="${attr}">Open Patchbay</a></body></html>\n`
  );
}
