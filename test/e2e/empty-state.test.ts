import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import { type RunningCli, startCli, tempDataDir } from '../support/cli-process';

describe('the UI in a browser (patchbay serve)', () => {
  let cli: RunningCli;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    const started = await startCli(
      ['serve', '--data-dir', tempDataDir(), '--port', '0'],
      /Patchbay UI: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/,
    );
    cli = started;
    url = started.match[1]!;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await cli?.stop();
  });

  it('renders the empty state with no console errors or CSP violations', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));

    await page.goto(url);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Patchbay');
    // The empty state shows once the first load answered (no flash of it before).
    await page.getByRole('heading', { name: 'No servers yet' }).waitFor();
    expect(await page.getByText('Add a server or import').textContent()).toContain(
      'import the ones your AI clients already use',
    );
    expect(await page.getByTestId('shell-kind').textContent()).toBe('browser');
    expect(problems).toEqual([]);
    await page.close();
  });
});
