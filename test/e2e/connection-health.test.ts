// The window notices when the engine is gone: stopping `patchbay serve` shows at once that the
// link is lost and disables the actions (nothing hangs at "Stopping…"); after a restart with a
// new launch token it says how to get back in.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import { type RunningCli, startCli, tempDataDir } from '../support/cli-process';
import { freePort } from '../support/free-port';
import { tempHome } from '../support/temp-home';

const UI = /Patchbay UI: (http:\/\/\S+)/;

describe('the link to the engine (patchbay serve)', () => {
  let cli: RunningCli;
  let browser: Browser;
  let page: Page;
  const dataDir = tempDataDir();
  const { env } = tempHome();
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    cli = await startCli(['serve', '--data-dir', dataDir, '--port', String(port)], UI, { env });
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(UI.exec(cli.output())![1]!);
    await page.getByRole('heading', { name: 'No servers yet' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await cli?.stop();
  });

  const banner = () => page.getByTestId('connection-banner');

  it('shows no banner while connected, and the actions work', async () => {
    expect(await banner().count()).toBe(0);
    expect(await page.getByRole('button', { name: '+ Add server' }).isEnabled()).toBe(true);
  });

  it('says the link is lost as soon as the engine stops, and disables the actions', async () => {
    await cli.stop('SIGINT');
    await banner().getByText('Lost the connection to Patchbay').waitFor({ timeout: 10_000 });
    expect(await page.getByRole('button', { name: '+ Add server' }).isDisabled()).toBe(true);
    // The rest of the window is inert: nothing in it can be clicked or focused.
    expect(await page.locator('main').getAttribute('inert')).not.toBeNull();
  });

  it('after a restart with a new token, says how to get back in', async () => {
    cli = await startCli(['serve', '--data-dir', dataDir, '--port', String(port)], UI, { env });
    // The page keeps retrying; the new engine refuses its old token.
    await banner().getByText('Patchbay restarted').waitFor({ timeout: 30_000 });
    expect(await banner().textContent()).toContain('patchbay serve');
    // The newly printed URL gets the user back in.
    await page.goto(UI.exec(cli.output())![1]!);
    await page.getByRole('heading', { name: 'No servers yet' }).waitFor();
    await expect
      .poll(async () => ((await banner().count()) ? await banner().textContent() : 'none'))
      .toBe('none');
  });
});
