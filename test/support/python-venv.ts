// The Python MCP SDK in a venv of its own, for tests that drive Python clients. Built once and
// reused (by later files of the run and by later runs on this machine); when python3, venv or
// the package is missing, tests skip with the reason instead of failing.
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Python with `mcp` importable, or why there is none. */
export type PythonMcp = { python: string; mcpVersion: string } | { skip: string };

// The machine's local package index: pip never reaches for the network (it would stall here).
const INDEX = '/opt/pypi/simple';
const WHEELS = '/opt/wheels';

let prepared: Promise<PythonMcp> | undefined;

/** Makes (or finds) the venv with the Python MCP SDK; resolves with its python or a skip reason. */
export function pythonMcp(): Promise<PythonMcp> {
  return (prepared ??= prepare());
}

function run(
  file: string,
  args: string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr: stderr || (err?.message ?? '') });
    });
  });
}

function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

async function prepare(): Promise<PythonMcp> {
  const probe = await run(
    'python3',
    ['-c', 'import sys; print("%d.%d" % sys.version_info[:2]); print(sys.base_prefix)'],
    15_000,
  );
  if (probe.code !== 0) return { skip: `python3 is not available: ${tail(probe.stderr, 2)}` };
  const [version = '', basePrefix = ''] = probe.stdout.trim().split('\n');
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < 3 || (major === 3 && minor < 10))
    return { skip: `python3 is ${version}; the mcp package needs 3.10 or newer` };
  if (!existsSync(INDEX)) return { skip: `no local package index at ${INDEX} to install mcp from` };

  // One venv per Python installation and index state, so a changed index builds a fresh one.
  const indexStamp = existsSync(join(INDEX, 'mcp')) ? statSync(join(INDEX, 'mcp')).mtimeMs : 0;
  const key = createHash('sha256')
    .update(`${version}|${basePrefix}|${indexStamp}`)
    .digest('hex')
    .slice(0, 12);
  const venv = join(tmpdir(), `patchbay-python-mcp-${key}`);
  const python = join(venv, 'bin', 'python');
  if (!existsSync(join(venv, 'ready'))) {
    // Built aside and renamed into place, so parallel test files never see a half-made venv.
    const building = `${venv}.${randomUUID()}`;
    mkdirSync(building, { recursive: true });
    try {
      const made = await run('python3', ['-m', 'venv', building], 120_000);
      if (made.code !== 0) return { skip: `python3 -m venv failed: ${tail(made.stderr, 3)}` };
      const pip = await run(
        join(building, 'bin', 'python'),
        ['-m', 'pip', 'install', '--disable-pip-version-check', '--index-url', `file://${INDEX}`]
          .concat(existsSync(WHEELS) ? ['--find-links', WHEELS] : [])
          .concat(['mcp']),
        300_000,
        // Only this index: the machine's pip config may add others.
        { ...process.env, PIP_CONFIG_FILE: devNull, PIP_NO_INPUT: '1' },
      );
      if (pip.code !== 0) return { skip: `pip could not install mcp from ${INDEX}: ${tail(pip.stderr)}` };
      writeFileSync(join(building, 'ready'), '');
      try {
        renameSync(building, venv);
      } catch {
        // Another test file finished first: use its venv.
        if (!existsSync(join(venv, 'ready'))) throw new Error(`could not move the venv into ${venv}`);
      }
    } finally {
      rmSync(building, { recursive: true, force: true });
    }
  }
  const check = await run(
    python,
    ['-c', 'import importlib.metadata as m, mcp; print(m.version("mcp"))'],
    60_000,
  );
  if (check.code !== 0) return { skip: `the venv's python cannot import mcp: ${tail(check.stderr, 3)}` };
  return { python, mcpVersion: check.stdout.trim() };
}
