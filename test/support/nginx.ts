import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/**
 * Debian's nginx as a reverse proxy in front of a test server: its own prefix, config,
 * pid, logs and temp dirs under a temp folder, listening on a free 127.0.0.1 port, in the
 * foreground (`daemon off`), so it needs no root and leaves nothing behind.
 */

/** nginx's path, installing Debian's package first when it is missing; else why it cannot be had. */
export function ensureNginx(): { path: string } | { missing: string } {
  const find = () => {
    try {
      return execFileSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx'], { encoding: 'utf8' })
        .trim()
        .split('\n')[0];
    } catch {
      return undefined;
    }
  };
  const found = find();
  if (found) return { path: found };
  const root = process.getuid?.() === 0;
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const run = (args: string[]) =>
      root
        ? execFileSync(args[0]!, args.slice(1), { env, stdio: 'pipe', timeout: 240_000 })
        : execFileSync('sudo', ['-n', ...args], { env, stdio: 'pipe', timeout: 240_000 });
    run(['apt-get', 'update', '-qq']);
    run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'nginx']);
  } catch (err) {
    return {
      missing: `nginx is not installed and \`apt-get install nginx\` failed: ${(err as Error).message.split('\n')[0]}`,
    };
  }
  const installed = find();
  return installed
    ? { path: installed }
    : { missing: 'nginx installed, but not found on PATH or in /usr/sbin' };
}

export { freePort };

export interface RunningNginx {
  port: number;
  dir: string;
  errorLog(): string;
  stop(): Promise<void>;
}

/**
 * Starts nginx proxying every path to 127.0.0.1:`upstream`, with a typical site's settings
 * that hold event streams back unless the upstream says `X-Accel-Buffering: no`: response
 * buffering (nginx's default), gzip for text/event-stream, and proxy_cache on the location.
 */
export async function startNginx(nginx: string, upstream: number): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-nginx-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const root = process.getuid?.() === 0;
  const conf = `
${root ? 'user root;' : ''}
worker_processes 1;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  proxy_cache_path ${dir}/cache keys_zone=site:1m;

  gzip on;
  gzip_proxied any;
  gzip_min_length 0;
  gzip_types text/event-stream application/json;

  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://127.0.0.1:${upstream};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_read_timeout 60s;
      proxy_cache site;
      proxy_cache_valid 200 1m;
    }
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child: ChildProcess = spawn(
    nginx,
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', `daemon off; pid ${dir}/nginx.pid;`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (out += s));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errorLog = () => {
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killer);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start: ${out}\n${errorLog()}`);
    if (await accepts(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not listen on ${port}: ${out}\n${errorLog()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, dir, errorLog, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
