// Where `npm start` gets the Electron executable. The `electron` package (≥ 42) has no install
// script: its binary arrives only when something requires the package or runs its install.js,
// and electron-vite does neither (it reads node_modules/electron/path.txt, which exists only
// after the download). So we resolve it here the package's own way, honouring ELECTRON_MIRROR,
// the download cache, ELECTRON_OVERRIDE_DIST_PATH and ELECTRON_EXEC_PATH, and say why a
// download failed in words a user can act on.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** A download or lookup that failed, with what to do about it. */
export class ElectronUnavailable extends Error {
  constructor(message, hints = []) {
    super(message);
    this.hints = hints;
  }
}

/** True once the binary the package records in path.txt is on disk. */
function downloaded(pkgDir) {
  const pathFile = join(pkgDir, 'path.txt');
  return existsSync(pathFile) && existsSync(join(pkgDir, 'dist', readFileSync(pathFile, 'utf8')));
}

/** An error and its causes in one line: fetch's "fetch failed" says why only in `cause`. */
export function describeFailure(err) {
  const parts = [];
  for (let e = err; e && parts.length < 4; e = e.cause) {
    const text = e instanceof Error ? e.message : String(e);
    if (text && !parts.includes(text)) parts.push(text);
  }
  return parts.join(': ') || 'the download ended without saying why';
}

/** What a user can do about a failed download, from the failure's words. */
function hintsFor(reason, env) {
  const hints = [];
  if (
    /ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up|fetch failed/i.test(
      reason,
    )
  ) {
    hints.push(
      env.ELECTRON_MIRROR
        ? `The mirror ${env.ELECTRON_MIRROR} could not be reached (no network, or the mirror is down).`
        : 'No connection to the download host: check the network, or set ELECTRON_MIRROR to a mirror you can reach.',
      'Behind a proxy: set HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1.',
    );
  } else if (/checksum/i.test(reason)) {
    hints.push(
      'The file arrived damaged or altered (checksum mismatch): run `npm start` again; a proxy rewriting downloads causes this too.',
    );
  } else if (/\b40[37]\b|proxy/i.test(reason)) {
    hints.push(
      'A proxy refused the download: set HTTPS_PROXY (with credentials) and ELECTRON_GET_USE_PROXY=1.',
    );
  } else if (/\b404\b/.test(reason)) {
    hints.push('The mirror has no file for this version and platform: check ELECTRON_MIRROR.');
  }
  hints.push(
    'Have an Electron binary already? Point ELECTRON_OVERRIDE_DIST_PATH at its folder, or ELECTRON_EXEC_PATH at the executable.',
  );
  return hints;
}

/**
 * Downloads the binary into the cache with the package's own downloader and settings (so the
 * error keeps its cause), then lets the package's install.js unpack it from that cache.
 */
async function download(pkgDir, log) {
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const env = process.env;
  const from = env.ELECTRON_MIRROR ? ` from ${env.ELECTRON_MIRROR}` : '';
  log(`patchbay: Downloading Electron ${version} (≈100 MB, once; later runs use the cache)${from}…`);
  const fromPkg = createRequire(join(pkgDir, 'package.json'));
  const { downloadArtifact } = await import(pathToFileURL(fromPkg.resolve('@electron/get')).href);
  try {
    await downloadArtifact({
      version,
      artifactName: 'electron',
      force: env.force_no_cache === 'true',
      cacheRoot: env.electron_config_cache,
      checksums:
        env.electron_use_remote_checksums || env.npm_config_electron_use_remote_checksums
          ? undefined
          : fromPkg('./checksums.json'),
      platform: env.ELECTRON_INSTALL_PLATFORM || env.npm_config_platform || process.platform,
      arch: env.ELECTRON_INSTALL_ARCH || env.npm_config_arch || process.arch,
    });
  } catch (err) {
    const reason = describeFailure(err);
    throw new ElectronUnavailable(
      `Electron ${version} could not be downloaded: ${reason}`,
      hintsFor(reason, env),
    );
  }
  const unpacked = await new Promise((resolve) => {
    const child = spawn(process.execPath, [join(pkgDir, 'install.js')], { stdio: 'inherit' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
  if (!unpacked)
    throw new ElectronUnavailable(
      `Electron ${version} was downloaded but could not be unpacked (see above).`,
    );
}

/**
 * The Electron executable to launch: ELECTRON_EXEC_PATH as given, else the package's own
 * answer (ELECTRON_OVERRIDE_DIST_PATH or an earlier download need no network), downloading
 * it first when it is not there yet.
 */
export async function resolveElectronBinary({ log = console.log } = {}) {
  const env = process.env;
  if (env.ELECTRON_EXEC_PATH) {
    if (existsSync(env.ELECTRON_EXEC_PATH)) return env.ELECTRON_EXEC_PATH;
    throw new ElectronUnavailable(
      `ELECTRON_EXEC_PATH is ${env.ELECTRON_EXEC_PATH}, and there is no file there.`,
    );
  }
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    throw new ElectronUnavailable('the electron package is not installed: run `npm install` first.');
  }
  if (!env.ELECTRON_OVERRIDE_DIST_PATH && !downloaded(pkgDir)) await download(pkgDir, log);
  // The package's index.js answers from path.txt or the override; it downloads nothing now.
  const binary = require(pkgDir);
  if (!existsSync(binary)) {
    const via = env.ELECTRON_OVERRIDE_DIST_PATH
      ? ` (ELECTRON_OVERRIDE_DIST_PATH is ${env.ELECTRON_OVERRIDE_DIST_PATH})`
      : '';
    throw new ElectronUnavailable(`the Electron executable is not at ${binary}${via}.`);
  }
  return binary;
}
