import { createServer } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { startCli } from '../support/cli-process';
import { FIXTURE } from '../support/engine-client';
import { waitGone } from '../support/processes';

const READY = /Streamable HTTP\s+(http:\/\/\S+)\n\s+Legacy SSE\s+(http:\/\/\S+)/;

describe('patchbay run', () => {
  it('fronts a stdio server, logs requests with --verbose and stops cleanly on Ctrl-C', async () => {
    const cli = await startCli(['run', '--port', '0', '--verbose', '--', process.execPath, FIXTURE], READY);
    const [, url, sseUrl] = cli.match;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(sseUrl).toBe(url!.replace(/\/mcp$/, '/sse'));

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

  it('refuses to bind beyond loopback without a token', async () => {
    const cli = await startCli(
      ['run', '--host', '0.0.0.0', '--port', '0', '--', process.execPath, FIXTURE],
      /set a token/,
    );
    expect(await cli.exited()).toBe(1);
  });
});
