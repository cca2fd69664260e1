// Issue 18's papercuts as a newcomer meets them: a short name cut off in a wide window, a mode
// radio whose name says the other mode, a name left to type although the command says it, and
// a Sessions chart reading "peak 0" while requests flow.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import type { RunningCli } from '../support/cli-process';
import { serveWithServer } from '../support/serve-with-server';
import { maskKey } from '../../src/shared/connect';

const eventually = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000 });

describe('papercuts (patchbay serve, 1400 px wide)', () => {
  let cli: RunningCli;
  let uiUrl: string;
  let mcpUrl: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ({ cli, uiUrl, mcpUrl } = await serveWithServer('filesystem-tools'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(uiUrl);
    await page
      .getByTestId('server-url')
      .filter({ hasText: maskKey(mcpUrl) })
      .waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await cli?.stop();
  });

  it('shows a short name whole in the sidebar, beside its count and sparkline', async () => {
    const name = page.locator('.server-item-name', { hasText: 'filesystem-tools' });
    await name.waitFor();
    const fits = () =>
      name.evaluate((el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth <= el.clientWidth);
    await eventually(fits).toBe(true);
  });

  it("names the mode radios by their label alone (Isolated's note mentions shared)", async () => {
    await page.getByRole('button', { name: '+ Add server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add server' });
    await dialog.waitFor();
    expect(await dialog.getByRole('radio', { name: /shared/i }).count()).toBe(1);
    expect(await dialog.getByRole('radio', { name: 'Isolated', exact: true }).count()).toBe(1);
  });

  it('names a new server after its command until the user names it', async () => {
    const dialog = page.getByRole('dialog', { name: 'Add server' });
    const name = dialog.getByLabel('Name', { exact: true });
    const command = dialog.getByLabel('Command', { exact: true });
    await command.fill('npx -y @modelcontextprotocol/server-everything@1.2');
    await eventually(() => name.inputValue()).toBe('everything');
    await command.fill('uvx mcp-server-fetch');
    await eventually(() => name.inputValue()).toBe('fetch');
    await name.fill('my fetcher');
    await command.fill('uvx mcp-server-time');
    expect(await name.inputValue()).toBe('my fetcher');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('Sessions: the chart counts requests as they flow, not "peak 0"', async () => {
    const client = new Client({ name: 'papercuts-e2e', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
    try {
      for (let i = 0; i < 3; i++) await client.callTool({ name: 'echo', arguments: { text: String(i) } });
      await page.getByRole('tab', { name: 'Sessions' }).click();
      const peak = page.locator('.sessions-chart dt', { hasText: 'peak / 10 s' }).locator('xpath=../dd');
      // Within a poll or two (2 s), long before the 10 s bucket closes.
      await eventually(async () => Number(await peak.textContent())).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('logged no page errors', () => {
    expect(problems).toEqual([]);
  });
});
