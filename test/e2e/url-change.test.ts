// A port change moves the server's URL: the Settings tab offers to update the client configs
// that have the server registered (the Connect tab's check), and says when there are none.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import type { RunningCli } from '../support/cli-process';
import { freePort } from '../support/free-port';
import { serveWithServer } from '../support/serve-with-server';
import { tempHome } from '../support/temp-home';
import { maskKey } from '../../src/shared/connect';

const eventually = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000 });

describe('a URL change and the client configs (patchbay serve)', () => {
  let home: string;
  let cli: RunningCli;
  let uiUrl: string;
  let mcpUrl: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const isolated = tempHome();
    home = isolated.home;
    ({ cli, uiUrl, mcpUrl } = await serveWithServer('moving', { home, env: isolated.env }));
    browser = await launchChromium();
    page = await browser.newPage();
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

  const cursorFile = () => join(home, '.cursor', 'mcp.json');
  const cursorUrls = () =>
    Object.values(
      (JSON.parse(readFileSync(cursorFile(), 'utf8')) as { mcpServers: Record<string, { url?: string }> })
        .mcpServers,
    ).map((e) => e.url);
  const changePort = async () => {
    const port = await freePort();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByLabel('Port', { exact: true }).fill(String(port));
    await page.getByRole('button', { name: 'Save changes' }).click();
    const url = `http://127.0.0.1:${port}/mcp`;
    // The header shows the key masked; files get the bare URL (the key goes as a header).
    const shown = maskKey(mcpUrl.replace(/^http:\/\/[^/]+\/mcp/, url));
    await eventually(() => page.getByTestId('server-url').textContent()).toBe(shown);
    return url;
  };

  it('offers "Update 1 client config" after a port change, and rewrites Cursor’s entry', async () => {
    await page.getByRole('tab', { name: 'Connect' }).click();
    await page.getByRole('tab', { name: 'Cursor', exact: true }).click();
    await page.getByRole('button', { name: 'Add to Cursor' }).click();
    await eventually(() => page.getByTestId('client-state').textContent()).toBe('Registered');
    expect(cursorUrls()).toEqual([mcpUrl.replace(/\?key=.*$/, '')]); // the key goes as a header

    const url = await changePort();
    const notice = page.getByTestId('url-change');
    await eventually(() => notice.textContent()).toContain('1 client config still points at the old one');
    expect(await notice.textContent()).toContain('Cursor');
    await notice.getByRole('button', { name: 'Update 1 client config' }).click();
    await eventually(() => Promise.resolve(cursorUrls())).toEqual([url]);
    await notice.waitFor({ state: 'detached' });
  });

  it('says so when no client config has the server registered', async () => {
    await page.getByRole('tab', { name: 'Connect' }).click();
    await page.getByRole('tab', { name: 'Cursor', exact: true }).click();
    await eventually(() => page.getByTestId('client-state').textContent()).toBe('Registered');
    await page.getByRole('button', { name: 'Remove from Cursor' }).click();
    await eventually(() => page.getByTestId('client-state').textContent()).toBe('Not added');

    await changePort();
    const notice = page.getByTestId('url-change');
    await eventually(() => notice.textContent()).toContain('none needs updating');
    expect(await notice.getByRole('button', { name: /^Update/ }).count()).toBe(0);
  });

  it('logged no page errors', () => {
    expect(problems).toEqual([]);
  });
});
