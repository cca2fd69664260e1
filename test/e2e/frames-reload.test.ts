import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import type { RunningCli } from '../support/cli-process';
import { serveWithServer } from '../support/serve-with-server';
import { maskKey } from '../../src/shared/connect';

describe('the frame list in the browser (patchbay serve)', () => {
  let cli: RunningCli;
  let uiUrl: string;
  let mcpUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ cli, uiUrl, mcpUrl } = await serveWithServer('live'));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await cli?.stop();
  });

  // Evaluated in the page (strings: this tsconfig has no DOM types).
  /** Rows the list holds (its aria-rowcount less the header row). */
  const rowCount = async (page: Page) =>
    Number((await page.getAttribute('[role=grid][aria-label=Frames]', 'aria-rowcount')) ?? 1) - 1;
  /**
   * The list is virtualized: only rows in view are in the DOM. Scroll it top to bottom and
   * read every row by its aria-rowindex, so a row missing from the list, or a frame shown
   * twice (two row indexes with one seq), still shows.
   */
  const readAllRows = (page: Page) =>
    page.evaluate<{ total: number; rows: { index: number; seq: number; method: string }[] }>(`(async () => {
      const grid = document.querySelector('[role=grid][aria-label=Frames]');
      const byIndex = new Map();
      const total = () => Number(grid.getAttribute('aria-rowcount')) - 1;
      const has = (i) => !!grid.querySelector('[data-seq][aria-rowindex="' + (i + 2) + '"]');
      const rendered = async () => {
        // Wait (a few frames at most) until the rows at the top and the bottom of the view
        // are in the DOM: until then it may still hold the rows of the last position.
        const first = Math.floor(grid.scrollTop / 20);
        const last = Math.min(total() - 1, Math.floor((grid.scrollTop + grid.clientHeight - 40) / 20));
        for (let i = 0; i < 60 && !(has(first) && has(last)); i++) {
          await new Promise((r) => requestAnimationFrame(r));
        }
      };
      for (let top = 0; ; top += Math.max(20, grid.clientHeight - 80)) {
        grid.scrollTop = top;
        await rendered();
        for (const row of grid.querySelectorAll('[data-seq]')) {
          byIndex.set(Number(row.getAttribute('aria-rowindex')), {
            seq: Number(row.getAttribute('data-seq')),
            method: row.querySelector('.method').textContent,
          });
        }
        if (grid.scrollTop + grid.clientHeight >= grid.scrollHeight - 1) break;
      }
      const rows = [...byIndex].sort((a, b) => a[0] - b[0]).map(([index, r]) => ({ index, ...r }));
      return { total: total(), rows };
    })()`);

  it('shows every frame once, in order, across a reload in the middle of the traffic', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(uiUrl);
    await expect.poll(() => page.getByTestId('server-url').textContent()).toBe(maskKey(mcpUrl));

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

    await expect.poll(() => rowCount(page), { timeout: 10_000 }).toBeGreaterThan(20);
    const beforeReload = await rowCount(page);
    await page.reload();
    // Every frame, keep-alives, priming events and Patchbay's own start-up probe included, so the seqs have no hole.
    await page.getByLabel('Show keep-alives').check();
    await page.getByLabel("Show Patchbay's own traffic").check();
    await expect.poll(() => rowCount(page), { timeout: 10_000 }).toBeGreaterThan(beforeReload + 20);
    stop = true;
    await traffic;
    await client.close();
    await new Promise((r) => setTimeout(r, 300)); // the last live batch

    const { total, rows } = await readAllRows(page);
    expect(total).toBeGreaterThan(beforeReload + 20);
    // Every row of the list was read, each once: indexes 2..N+1 (1 is the header).
    expect(rows.map((r) => r.index)).toEqual(rows.map((_, i) => i + 2));
    expect(rows.length).toBe(total);
    const shown = rows.map((r) => r.seq);
    expect(shown[0]).toBe(1);
    // No gap and no duplicate: exactly 1..N.
    expect(shown).toEqual(shown.map((_, i) => i + 1));
    // Every call made it: its request on the HTTP and the stdin leg (responses carry no method).
    expect(rows.filter((r) => r.method === 'tools/call').length).toBeGreaterThanOrEqual(calls * 2);
    expect(problems).toEqual([]);
    await page.close();
  });
});
