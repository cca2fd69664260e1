// What the bench measures: direct stdio (the floor), Patchbay's variants and the peers, all
// in front of the same stdio fixture and all run by the same Node as the bench.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { call, openHttpSession, openStdioSession } from './client.mjs';
import { killTree, spawnTarget } from './procs.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const NODE = process.execPath;
export const FIXTURE = join(ROOT, 'test/fixtures/fixture-server.mjs');
export const PATCHBAY_CLI = join(ROOT, 'out/main/cli.js');
const SUPERGATEWAY = join(ROOT, 'node_modules/supergateway/dist/index.js');
const MCP_PROXY = join(ROOT, 'node_modules/mcp-proxy/dist/bin/mcp-proxy.mjs');
const NULL_SERVER = join(ROOT, 'bench/lib/null-server.mjs');
const BIND_LOOPBACK = pathToFileURL(join(ROOT, 'bench/lib/bind-loopback.mjs')).href;

/**
 * Patchbay with the frame tap off (`patchbay run --no-tap`), beside the default tap-on
 * variants: issue 9 wants them within 10% of each other. `BENCH_TAP_OFF=0` leaves them out.
 */
export const BENCH_TAP_OFF = process.env.BENCH_TAP_OFF !== '0';

/**
 * Limits raised for Patchbay so the 200-idle-sessions phase fits (defaults: 16 processes,
 * 100 sessions). Limits only: they change no per-call work.
 */
const PATCHBAY_LIMITS = ['--max-processes', '256', '--max-sessions', '512'];

/**
 * @typedef {object} TargetSpec
 * @property {string} id
 * @property {string} label
 * @property {'stdio' | 'http'} kind
 * @property {'floor' | 'reference' | 'patchbay' | 'peer'} group
 * @property {string} [mode]          Patchbay routing mode
 * @property {boolean} [tap]          Patchbay frame tap on
 * @property {string} [versionNote]
 * @property {(port: number, extraNodeArgs: string[]) => { file: string, args: string[] }} [command]
 */

/** @returns {TargetSpec[]} */
export function targetSpecs() {
  /** @type {TargetSpec[]} */
  const specs = [{ id: 'direct', label: 'direct stdio (floor)', kind: 'stdio', group: 'floor' }];
  // Not a proxy: what the SDK client and one HTTP hop cost with no proxy work at all.
  specs.push({
    id: 'http-floor',
    label: 'no-proxy HTTP floor (reference)',
    kind: 'http',
    group: 'reference',
    command: (port, extra) => ({
      file: NODE,
      args: [...extra, NULL_SERVER, '--port', String(port), '--reply', 'sse'],
    }),
  });
  const tapVariants = BENCH_TAP_OFF ? [true, false] : [true];
  for (const mode of ['isolated', 'shared']) {
    for (const tap of tapVariants) {
      specs.push({
        id: `patchbay-${mode}${tap ? '' : '-notap'}`,
        label: `Patchbay ${mode}${tap ? '' : ', tap off'}`,
        kind: 'http',
        group: 'patchbay',
        mode,
        tap,
        command: (port, extra) => ({
          file: NODE,
          args: [
            ...extra,
            PATCHBAY_CLI,
            'run',
            '--port',
            String(port),
            '--mode',
            mode,
            ...PATCHBAY_LIMITS,
            ...(tap ? [] : ['--no-tap']),
            // The clients here send no key; the check is one compare per request (issue 16).
            '--no-key',
            '--',
            NODE,
            FIXTURE,
          ],
        }),
      });
    }
  }
  specs.push({
    id: 'supergateway',
    label: 'supergateway 4.0.0 (stateful)',
    kind: 'http',
    group: 'peer',
    // Logging off: at the default level it logs every message, which is not the proxy's work.
    command: (port, extra) => ({
      file: NODE,
      args: [
        ...extra,
        '--import',
        BIND_LOOPBACK,
        SUPERGATEWAY,
        '--stdio',
        `${NODE} ${FIXTURE}`,
        '--outputTransport',
        'streamableHttp',
        '--stateful',
        '--port',
        String(port),
        '--logLevel',
        'none',
      ],
    }),
  });
  specs.push({
    id: 'mcp-proxy',
    label: 'mcp-proxy 6.7.19 (stream)',
    kind: 'http',
    group: 'peer',
    command: (port, extra) => ({
      file: NODE,
      args: [
        ...extra,
        MCP_PROXY,
        '--server',
        'stream',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--',
        NODE,
        FIXTURE,
      ],
    }),
  });
  return specs;
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/**
 * A running target: its process (none for direct), its URL, and how to open sessions.
 */
export class Target {
  /** @param {TargetSpec} spec @param {{ extraNodeArgs?: string[] }} [opts] */
  constructor(spec, opts = {}) {
    this.spec = spec;
    this.extraNodeArgs = opts.extraNodeArgs ?? [];
    /** @type {ReturnType<typeof spawnTarget> | undefined} */
    this.proc = undefined;
    this.url = '';
    /** @type {Set<import('./client.mjs').Session>} */
    this.sessions = new Set();
  }

  get id() {
    return this.spec.id;
  }

  /**
   * Starts the target and opens its first session with a checked echo call, retrying until
   * it answers. Returns that session and the time from spawn to the first successful call.
   */
  async start(timeoutMs = 30_000) {
    const t0 = performance.now();
    if (this.spec.kind === 'stdio') {
      const session = await this.open();
      await call(session.client, 'echo', 100);
      return { session, startMs: performance.now() - t0 };
    }
    const port = await freePort();
    const { file, args } = /** @type {NonNullable<TargetSpec['command']>} */ (this.spec.command)(
      port,
      this.extraNodeArgs,
    );
    const t1 = performance.now();
    this.proc = spawnTarget(file, args, { cwd: ROOT });
    this.url = `http://127.0.0.1:${port}/mcp`;
    let exited = false;
    void this.proc.exited.then(() => (exited = true));
    /** @type {unknown} */
    let lastError;
    while (performance.now() - t1 < timeoutMs && !exited) {
      try {
        const session = await this.open(5000);
        try {
          await call(session.client, 'echo', 100);
        } catch (err) {
          await this.close(session);
          throw err;
        }
        return { session, startMs: performance.now() - t1 };
      } catch (err) {
        lastError = err;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    const why = exited ? 'exited' : `not ready after ${timeoutMs} ms`;
    throw new Error(
      `${this.id} ${why}: ${lastError instanceof Error ? lastError.message : String(lastError)}\n` +
        `--- its output ---\n${this.proc.output()}`,
    );
  }

  /** Opens one more session. */
  async open(timeoutMs = 30_000) {
    const session =
      this.spec.kind === 'stdio'
        ? await openStdioSession(NODE, [FIXTURE], timeoutMs)
        : await openHttpSession(this.url, timeoutMs);
    this.sessions.add(session);
    return session;
  }

  /** @param {import('./client.mjs').Session} session */
  async close(session) {
    this.sessions.delete(session);
    await session.close();
  }

  /** Roots of the target's process tree: the proxy, or (direct) the fixtures themselves. */
  roots() {
    if (this.proc) return [this.proc.pid];
    return [...this.sessions].map((s) => s.pid).filter((p) => p !== undefined);
  }

  /** The proxy process itself (direct: the first fixture). */
  get mainPid() {
    return this.roots()[0];
  }

  /** Ends every session, then the process tree (SIGTERM, then SIGKILL). */
  async stop() {
    const roots = this.roots();
    await Promise.all([...this.sessions].map((s) => this.close(s)));
    await killTree(roots);
    this.proc = undefined;
  }
}

/** Checks what the bench needs before it starts anything. */
export function preflight() {
  const problems = [];
  if (!existsSync(PATCHBAY_CLI)) problems.push(`${PATCHBAY_CLI} is missing: run \`npm run build\` first`);
  if (!existsSync(SUPERGATEWAY)) problems.push('supergateway is not installed (devDependency)');
  if (!existsSync(MCP_PROXY)) problems.push('mcp-proxy is not installed (devDependency)');
  const newest = newestMtime(join(ROOT, 'src/main'));
  if (existsSync(PATCHBAY_CLI) && newest > statSync(PATCHBAY_CLI).mtimeMs) {
    process.stderr.write(
      'bench: warning: src/main is newer than out/main/cli.js: run `npm run build` to bench the current code\n',
    );
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) problems.push(`Node ${process.versions.node}: run the bench with Node 24 (npm run bench)`);
  return problems;
}

/** The newest modification time under a directory. @param {string} dir @returns {number} */
function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}
