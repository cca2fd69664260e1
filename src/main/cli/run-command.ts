import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { type Endpoint, startEndpoint } from '../core/http/endpoint-server';
import type { Frame } from '../core/inspect/frame';
import { defaultDataDir } from '../core/data-dir';
import { withKey } from '@shared/connect';
import { runKey } from './run-key';
import { type RoutingMode, ServerRuntime } from '../core/routing/server-runtime';

export const RUN_USAGE = `Usage: patchbay run [options] -- <command> [args…]

Fronts one stdio MCP server with Streamable HTTP (/mcp) and legacy SSE (/sse).

Options:
  --port <n>        port (default 7301; 0 = any free port)
  --host <h>        address to bind (default 127.0.0.1)
  --mode <m>        isolated (a process per session, default) or shared (one process)
  --token-file <f>  the key clients must send, read from file f (or set PATCHBAY_TOKEN);
                    without either, a random key kept per port in the data dir, so the
                    printed URLs (which carry it as ?key=…) survive a restart
  --no-key          accept any local program (warns; never with a non-loopback --host)
  --token <t>       the key on the command line (warns: other local users see it in ps)
  --data-dir <dir>  where the per-port keys live (default: the XDG data dir)
  --origin <url>    also allow this browser Origin (repeatable)
  --max-processes <n>  isolated mode: processes at most (default 16)
  --max-sessions <n>   sessions at most (default 100)
  --verbose         log one line per request, and the server's stderr
  --no-tap          do not record frames (the inspector's tap; on by default)
`;

/** `patchbay run`: resolves with the exit code once stopped (Ctrl-C, SIGTERM). */
export async function runCommand(argv: string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const server = dash === -1 ? [] : argv.slice(dash + 1);
  const { values, positionals } = parseArgs({
    args: own,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '7301' },
      host: { type: 'string', default: '127.0.0.1' },
      mode: { type: 'string', default: 'isolated' },
      token: { type: 'string' },
      'token-file': { type: 'string' },
      'no-key': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      origin: { type: 'string', multiple: true },
      'max-processes': { type: 'string', default: '16' },
      'max-sessions': { type: 'string', default: '100' },
      verbose: { type: 'boolean', default: false },
      'no-tap': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = [...positionals, ...server];
  if (values.help) {
    process.stdout.write(RUN_USAGE);
    return 0;
  }
  if (command.length === 0) {
    process.stderr.write(`patchbay run: give the server's command after --\n\n${RUN_USAGE}`);
    return 2;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `patchbay run: --port must be a whole number from 0 to 65535, got "${values.port}"\n`,
    );
    return 2;
  }
  if (values.mode !== 'isolated' && values.mode !== 'shared') {
    process.stderr.write(`patchbay run: --mode must be isolated or shared, got "${values.mode}"\n`);
    return 2;
  }
  const mode: RoutingMode = values.mode;
  const maxProcesses = Number(values['max-processes']);
  const maxSessions = Number(values['max-sessions']);
  if (![maxProcesses, maxSessions].every((n) => Number.isInteger(n) && n > 0)) {
    process.stderr.write('patchbay run: --max-processes and --max-sessions must be positive whole numbers\n');
    return 2;
  }
  let key: string | undefined;
  try {
    key = runKey({
      port,
      noKey: values['no-key'],
      ...(values.token !== undefined ? { argv: values.token } : {}),
      ...(values['token-file'] !== undefined ? { file: values['token-file'] } : {}),
      ...(process.env['PATCHBAY_TOKEN'] ? { env: process.env['PATCHBAY_TOKEN'] } : {}),
      dataDir: values['data-dir'] ?? defaultDataDir(),
      warn: (text) => process.stderr.write(`patchbay run: warning: ${text}\n`),
    });
  } catch (err) {
    process.stderr.write(`patchbay run: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const [cmd, ...args] = command as [string, ...string[]];
  const runtime = new ServerRuntime({ id: basename(cmd), command: cmd, args, mode, maxProcesses });
  // The key must never show in frames or logs, even if a server echoes it; the legacy
  // endpoint event carries it URL-encoded.
  if (key) runtime.frames.redactor.setSecrets([key, encodeURIComponent(key)]);

  const state = await runtime.start();
  if (state.status === 'crashed' && state.exit === undefined) {
    // It never started (not found, not executable): retrying will not help.
    await runtime.stop();
    process.stderr.write(`patchbay run: ${state.reason}\n`);
    return 1;
  }
  let endpoint: Endpoint;
  try {
    endpoint = await startEndpoint(runtime, {
      port,
      host: values.host,
      maxSessions,
      ...(key ? { token: key } : {}),
      ...(values.origin ? { allowedOrigins: values.origin } : {}),
    });
  } catch (err) {
    await runtime.stop();
    process.stderr.write(`patchbay run: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }

  runtime.on('state', (s) => {
    if (s.status === 'crashed') {
      const retry = s.restartAt ? `; restarting in ${Math.ceil((s.restartAt - Date.now()) / 1000)} s` : '';
      process.stderr.write(`patchbay: server crashed: ${s.reason}${retry}\n`);
    } else if (s.status === 'running') {
      process.stderr.write('patchbay: server running\n');
    }
  });
  if (values['no-tap']) runtime.frames.enabled = false;
  if (values.verbose) logRequests(runtime);

  process.stdout.write(
    `Patchbay is fronting: ${command.join(' ')} (${mode} mode)\n` +
      `  Streamable HTTP  ${withKey(endpoint.url, key)}\n` +
      `  Legacy SSE       ${withKey(endpoint.sseUrl, key)}\n` +
      `Press Ctrl-C to stop.\n`,
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write('patchbay: stopping now\n');
        process.exit(130); // the exit hook kills what is left
      }
      stopping = true;
      process.stderr.write(`\npatchbay: ${signal}, stopping…\n`);
      void (async () => {
        await endpoint.close();
        await runtime.stop();
        resolve(0);
      })();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** --verbose: one line per answered request, and the server's stderr. */
function logRequests(runtime: ServerRuntime): void {
  const methods = new Map<string, string>();
  runtime.frames.subscribe(({ frames, skipped }) => {
    if (skipped > 0) process.stderr.write(`patchbay: ${skipped} frames not logged (too many at once)\n`);
    for (const f of frames) logFrame(f, methods);
  });
  runtime.stderr.subscribe((e) => process.stderr.write(`[server ${e.pid}] ${e.text}\n`));
}

function logFrame(f: Frame, methods: Map<string, string>): void {
  const key = `${f.sessionId ?? '-'}|${String(f.rpcId)}`;
  if (f.leg === 'client→proxy' && f.kind === 'request' && f.method) {
    methods.set(key, f.method);
    if (methods.size > 10_000) methods.clear();
    return;
  }
  if (f.leg !== 'proxy→client' || (f.kind !== 'response' && f.kind !== 'error')) return;
  const method = methods.get(key) ?? '?';
  methods.delete(key);
  const time = new Date(f.ts).toISOString().slice(11, 23);
  const session = (f.sessionId ?? 'stateless').slice(0, 6);
  const outcome = f.kind === 'error' ? 'error' : 'ok';
  const latency = f.latencyMs === undefined ? '' : ` ${f.latencyMs} ms`;
  process.stderr.write(
    `${time} ${session} ${method} #${String(f.rpcId)} ${outcome}${latency} ${f.bytes} B\n`,
  );
}
