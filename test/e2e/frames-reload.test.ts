import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerManager } from '../../src/main/core/manager/server-manager';
import { launchChromium } from '../support/chromium';
import { type RunningCli, startCli, tempDataDir } from '../support/cli-process';
import { FIXTURE } from '../support/engine-client';

describe('the frame list in the browser (patchbay serve)', () => {
  let cli: RunningCli & { match: RegExpMatchArray };
  let uiUrl: string;
  let mcpUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    const dataDir = tempDataDir();
    const m = ServerManager.open({ dataDir });
    const s = await m.create({ name: 'live', command: process.execPath, args: [FIXTURE] });
    await m.start(s.id);
    await m.shutdown(); // left running: `serve` restores it
    cli = await startCli(['serve', '--data-dir', dataDir, '--port', '0'], /live: (http:\/\/\S+)/);
    uiUrl = /Patchbay UI: (\S+)/.exec(cli.output())![1]!;
    mcpUrl = cli.match[1]!;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await cli?.stop();
  });

  // Evaluated in the page (a string: this tsconfig has no DOM types).
  const seqs = (page: Page) =>
    page.evaluate<number[]>(
      "Array.from(document.querySelectorAll('[data-seq]'), (r) => Number(r.getAttribute('data-seq')))",
    );

  it('shows every frame once, in order, across a reload in the middle of the traffic', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(uiUrl);
    await expect.poll(() => page.getByTestId('server-url').textContent()).toBe(mcpUrl);

    const client = new Client({ name: 'traffic', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
    let stop = false;
    let calls = 0;
    const traffic = (async () => {
      while (!stop) {
        await client.callTool({ name: 'echo', arguments: { text: `n${calls++}` } });
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    await expect.poll(async () => (await seqs(page)).length, { timeout: 10_000 }).toBeGreaterThan(20);
    const beforeReload = (await seqs(page)).length;
    await page.reload();
    await expect
      .poll(async () => (await seqs(page)).length, { timeout: 10_000 })
      .toBeGreaterThan(beforeReload + 20);
    stop = true;
    await traffic;
    await client.close();
    await new Promise((r) => setTimeout(r, 300)); // the last live batch

    const shown = await seqs(page);
    expect(shown[0]).toBe(1);
    // No gap and no duplicate: exactly 1..N.
    expect(shown).toEqual(shown.map((_, i) => i + 1));
    // Every call made it: request and response on both HTTP legs at least.
    const texts = await page.evaluate<string[]>(
      "Array.from(document.querySelectorAll('[data-seq] .method'), (c) => c.textContent)",
    );
    expect(texts.filter((t) => t === 'tools/call').length).toBeGreaterThanOrEqual(calls * 2);
    expect(problems).toEqual([]);
    await page.close();
  });
});
