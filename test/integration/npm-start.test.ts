// `npm start` itself, in a copy of the project whose `electron` package has no binary yet
// (as on every fresh install): it must resolve the executable the package's way, build, and
// launch it with the app's entry, or say why the download failed and offer `npm run serve`.
// A stub executable stands in for Electron (none can be downloaded here).
import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths';

const PROJECT_FILES = [
  'package.json',
  'electron.vite.config.ts',
  'tsconfig.json',
  'tsconfig.base.json',
  'tsconfig.node.json',
  'tsconfig.web.json',
  'src',
  'resources',
  'scripts',
];

let project: string;

/** A copy of the project: its own `out/` and its own `electron` package; every other dependency linked. */
function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-start-'));
  for (const f of PROJECT_FILES) cpSync(join(repoRoot, f), join(dir, f), { recursive: true });
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(repoRoot, 'node_modules'))) {
    if (name === 'electron') continue;
    symlinkSync(join(repoRoot, 'node_modules', name), join(modules, name));
  }
  // The package as npm installs it: scripts and types, no path.txt, no dist/.
  const electron = join(modules, 'electron');
  mkdirSync(electron);
  for (const f of readdirSync(join(repoRoot, 'node_modules/electron'))) {
    if (f === 'dist' || f === 'path.txt') continue;
    cpSync(join(repoRoot, 'node_modules/electron', f), join(electron, f), { recursive: true });
  }
  return dir;
}

/** An executable that records how it was launched, standing in for Electron. */
function stubElectron(dir: string, name = 'electron'): { dir: string; record: string } {
  mkdirSync(dir, { recursive: true });
  const record = join(dir, 'launched.json');
  const script = join(dir, name);
  writeFileSync(
    script,
    `#!/bin/sh\n"${process.execPath}" -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd() }))' "${record}" "$@"\n`,
  );
  chmodSync(script, 0o755);
  return { dir, record };
}

function npmStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['start'], {
      cwd: project,
      env: { ...process.env, ...env, npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.on('error', reject);
    // 'close', not 'exit': the output is read whole only once the pipes are done.
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe.runIf(process.platform === 'linux')('npm start', () => {
  beforeAll(() => {
    project = copyProject();
  });
  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('says why the download failed and offers npm run serve, before building anything', async () => {
    const port = await closedPort();
    const cache = mkdtempSync(join(tmpdir(), 'patchbay-electron-cache-'));
    try {
      const { code, output } = await npmStart({
        ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
        electron_config_cache: cache,
      });
      expect(code).toBe(1);
      expect(output).toMatch(/Downloading Electron 45\.\d+\.\d+ \(≈100 MB/);
      expect(output).toMatch(/could not be downloaded: .*ECONNREFUSED 127\.0\.0\.1:\d+/);
      expect(output).toContain('npm run serve');
      expect(existsSync(join(project, 'out'))).toBe(false);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('a missing ELECTRON_EXEC_PATH is named, not launched', async () => {
    const { code, output } = await npmStart({ ELECTRON_EXEC_PATH: join(project, 'no-such-electron') });
    expect(code).toBe(1);
    expect(output).toContain(
      `ELECTRON_EXEC_PATH is ${join(project, 'no-such-electron')}, and there is no file there`,
    );
  });

  it(
    'builds and launches ELECTRON_OVERRIDE_DIST_PATH with the app entry, with no network at all',
    { timeout: 120_000 },
    async () => {
      const stub = stubElectron(join(project, 'override-dist'));
      // A mirror that cannot answer: nothing may try to download.
      const port = await closedPort();
      const { code, output } = await npmStart({
        ELECTRON_OVERRIDE_DIST_PATH: stub.dir,
        ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
      });
      expect(code, output).toBe(0);
      expect(output).not.toMatch(/Downloading Electron/);
      const launched = JSON.parse(readFileSync(stub.record, 'utf8')) as { argv: string[]; cwd: string };
      expect(launched.argv).toEqual(['.']);
      expect(launched.cwd).toBe(project);
      // `electron .` runs package.json's main: the build put it there.
      const main = (JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { main: string }).main;
      expect(existsSync(join(project, main))).toBe(true);
      expect(existsSync(join(project, 'out/preload/index.cjs'))).toBe(true);
      expect(existsSync(join(project, 'out/renderer/index.html'))).toBe(true);
    },
  );

  it(
    'launches a binary downloaded on an earlier run, with no network at all',
    { timeout: 120_000 },
    async () => {
      const electron = join(project, 'node_modules/electron');
      const stub = stubElectron(join(electron, 'dist'));
      writeFileSync(join(electron, 'path.txt'), 'electron');
      const port = await closedPort();
      const { code, output } = await npmStart({ ELECTRON_MIRROR: `http://127.0.0.1:${port}/` });
      expect(code, output).toBe(0);
      expect(output).not.toMatch(/Downloading Electron/);
      expect(output).toContain(`Electron at ${join(electron, 'dist/electron')}`);
      expect((JSON.parse(readFileSync(stub.record, 'utf8')) as { argv: string[] }).argv).toEqual(['.']);
    },
  );
});
