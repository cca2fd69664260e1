import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinCommandLine } from '../../src/shared/command-line';
import { launchChromium } from '../support/chromium';
import { type RunningCli, startCli, tempDataDir } from '../support/cli-process';
import { FIXTURE } from '../support/engine-client';
import { tempHome } from '../support/temp-home';

// Issue 16, the per-server key as a user meets it: "Require a key" in the form's Advanced
// section (a warning when it is off), the header showing the URL with the key masked, and
// Copy giving the capability URL that a real client uses as-is.

describe('the per-server key in the browser (patchbay serve)', () => {
  let cli: RunningCli;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const { env } = tempHome();
    cli = await startCli(
      ['serve', '--data-dir', tempDataDir(), '--port', '0'],
      /Patchbay UI: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/,
      { env },
    );
    const uiUrl = /Patchbay UI: (\S+)/.exec(cli.output())![1]!;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(uiUrl).origin });
    page = await context.newPage();
    await page.goto(uiUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await cli?.stop();
  });

  it('"Require a key": masked in the header, the real key copied, a client connects with it', async () => {
    await page.getByRole('button', { name: 'Add server', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add server' });
    await dialog.getByLabel('Name', { exact: true }).fill('keyed');
    await dialog.getByLabel('Command', { exact: true }).fill(joinCommandLine([process.execPath, FIXTURE]));
    await dialog.getByText('Advanced', { exact: true }).click();
    const require = dialog.getByLabel('Require a key');
    if (await require.isChecked()) await require.uncheck();
    await dialog.getByTestId('no-key-warning').waitFor();
    expect(await dialog.getByTestId('no-key-warning').textContent()).toMatch(/any program on this computer/);
    await require.check();
    await dialog.getByTestId('no-key-warning').waitFor({ state: 'hidden' });
    await dialog.getByRole('button', { name: 'Add server', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('server-state').textContent(), { timeout: 10_000 })
      .toMatch(/^running/);
    const shown = (await page.getByTestId('server-url').textContent())!;
    expect(shown).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp\?key=••••$/);

    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByRole('status').getByText('Copied').waitFor();
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp\?key=[A-Za-z0-9_-]{43}$/);
    expect(copied.split('?')[0]).toBe(shown.split('?')[0]);
    // The key is not in the page: only Copy fetched it.
    expect(await page.content()).not.toContain(new URL(copied).searchParams.get('key')!);

    const client = new Client({ name: 'server-key-ui', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(copied)));
    try {
      const result = await client.callTool({ name: 'echo', arguments: { text: 'keyed hello' } });
      expect(JSON.stringify(result)).toContain('keyed hello');
    } finally {
      await client.close();
    }
    const bare = await fetch(copied.split('?')[0]!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(bare.status).toBe(401);
  });
});
