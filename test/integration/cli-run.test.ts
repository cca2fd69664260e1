import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { startCli } from '../support/cli-process';
import { FIXTURE } from '../support/engine-client';
import { freePort } from '../support/free-port';
import { descendants } from '../support/proc-stats';
import { until, waitGone } from '../support/processes';

const READY = /Streamable HTTP\s+(http:\/\/\S+)\n\s+Legacy SSE\s+(http:\/\/\S+)/;

describe('patchbay run', () => {
  it('fronts a stdio server, logs requests with --verbose and stops cleanly on Ctrl-C', async () => {
    const cli = await startCli(['run', '--port', '0', '--verbose', '--', process.execPath, FIXTURE], READY);
    const [, url, sseUrl] = cli.match;
    // With a key (the default), both carry it as ?key=…: they work as printed.
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp(\?key=[\w-]+)?$/);
    expect(sseUrl).toBe(url!.replace(/\/mcp\b/, '/sse'));

    const client = new Client({ name: 'cli-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url!)));
    const result = await client.callTool({ name: 'pid', arguments: {} });
    const pid = Number((result.content as { text: string }[])[0]!.text);
    await client.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(cli.output()).toMatch(/ tools\/call #1 ok \d+ ms \d+ B/);

    expect(await cli.stop('SIGINT')).toBe(0);
    expect(cli.output()).toContain('SIGINT, stopping');
    expect(await waitGone([pid])).toEqual([]);
  });

  it('says clearly when the command does not exist, and exits 1', async () => {
    const cli = await startCli(['run', '--port', '0', '--', 'patchbay-no-such-server'], /not found on PATH/);
    expect(await cli.exited()).toBe(1);
  });

  it('names the port when it is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const cli = await startCli(
        ['run', '--port', String(port), '--', process.execPath, FIXTURE],
        /used by another program/,
      );
      expect(cli.output()).toContain(`Port ${port}`);
      expect(await cli.exited()).toBe(1);
    } finally {
      blocker.close();
    }
  });

  it('refuses to bind beyond loopback without a key', async () => {
    const cli = await startCli(
      ['run', '--host', '0.0.0.0', '--port', '0', '--no-key', '--', process.execPath, FIXTURE],
      /set a token/,
    );
    expect(await cli.exited()).toBe(1);
  });

  describe('its key', () => {
    /** Lists the tools through `url`, with no header: the printed URL must work as-is. */
    async function toolsAt(url: string): Promise<string[]> {
      const client = new Client({ name: 'cli-key-test', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      try {
        return (await client.listTools()).tools.map((t) => t.name);
      } finally {
        await client.close();
      }
    }

    /** Pids whose /proc/PID/cmdline holds `needle` (all readable processes on the machine). */
    function cmdlinesHolding(needle: string): number[] {
      const found: number[] = [];
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          if (readFileSync(`/proc/${entry}/cmdline`, 'latin1').includes(needle)) found.push(Number(entry));
        } catch {
          // gone meanwhile, or not ours to read
        }
      }
      return found;
    }

    for (const source of ['--token-file', 'PATCHBAY_TOKEN'] as const) {
      it(`from ${source}: the printed URLs carry ?key= and work as-is; the bare URL gets 401; no cmdline holds the key`, async () => {
        const key = `k-${source.replace(/\W/g, '')}-${Date.now()}-Zq9`;
        const dir = mkdtempSync(join(tmpdir(), 'patchbay-runkey-'));
        const file = join(dir, 'key');
        writeFileSync(file, `${key}\n`, { mode: 0o600 });
        const args = source === '--token-file' ? ['--token-file', file] : [];
        const env = source === 'PATCHBAY_TOKEN' ? { ...process.env, PATCHBAY_TOKEN: key } : process.env;
        const cli = await startCli(
          ['run', '--port', '0', '--verbose', '--data-dir', dir, ...args, '--', process.execPath, FIXTURE],
          READY,
          { env },
        );
        try {
          const [, url, sseUrl] = cli.match;
          expect(new URL(url!).searchParams.get('key')).toBe(key);
          expect(new URL(sseUrl!).searchParams.get('key')).toBe(key);
          expect(await toolsAt(url!)).toContain('echo');
          const bare = url!.replace(/\?.*$/, '');
          await expect(toolsAt(bare)).rejects.toThrow(/401|Unauthorized/);
          // Neither patchbay nor the server it spawned (a warm spare, a session's) carries it.
          expect(descendants(cli.child.pid).length).toBeGreaterThan(0);
          expect(cmdlinesHolding(key)).toEqual([]);
          expect(cli.output()).not.toMatch(/warning/);
          // Past the printed URLs, the --verbose request lines never hold it.
          await until(() => / tools\/list #\d+ ok/.test(cli.output()), 3000, 'the request lines');
          expect(cli.output().split('Press Ctrl-C')[1]).not.toContain(key);
        } finally {
          expect(await cli.stop('SIGTERM')).toBe(0);
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }

    it('by default: a key kept per port (0600), so the printed URL is the same after a restart', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'patchbay-runkey-'));
      const port = await freePort();
      const launch = () =>
        startCli(['run', '--port', String(port), '--data-dir', dir, '--', process.execPath, FIXTURE], READY);
      try {
        const first = await launch();
        const url = first.match[1]!;
        expect(await first.stop('SIGTERM')).toBe(0);
        const key = new URL(url).searchParams.get('key')!;
        expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(statSync(join(dir, 'run-keys', `port-${port}.key`)).mode & 0o777).toBe(0o600);
        const second = await launch();
        try {
          expect(second.match[1]).toBe(url);
          expect(await toolsAt(url)).toContain('echo');
          await expect(toolsAt(url.replace(/\?.*$/, ''))).rejects.toThrow(/401|Unauthorized/);
          expect(cmdlinesHolding(key)).toEqual([]);
        } finally {
          expect(await second.stop('SIGTERM')).toBe(0);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('--token on argv still works, with a warning; --no-key warns and prints bare URLs', async () => {
      const key = 'argv-key-1234567';
      const withArgv = await startCli(
        ['run', '--port', '0', '--token', key, '--', process.execPath, FIXTURE],
        READY,
      );
      try {
        expect(withArgv.output()).toMatch(
          /warning: --token on the command line is visible to other local users/,
        );
        expect(await toolsAt(withArgv.match[1]!)).toContain('echo');
      } finally {
        expect(await withArgv.stop('SIGTERM')).toBe(0);
      }
      const open = await startCli(['run', '--port', '0', '--no-key', '--', process.execPath, FIXTURE], READY);
      try {
        expect(open.output()).toMatch(/warning: --no-key: any local program can reach this server/);
        expect(open.match[1]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
        expect(await toolsAt(open.match[1]!)).toContain('echo');
      } finally {
        expect(await open.stop('SIGTERM')).toBe(0);
      }
      const both = await startCli(
        ['run', '--no-key', '--token', key, '--', process.execPath, FIXTURE],
        /cannot go with/,
      );
      expect(await both.exited()).toBe(2);
    });
  });
});
