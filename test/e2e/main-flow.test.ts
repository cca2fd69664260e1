import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinCommandLine } from '../../src/shared/command-line';
import { launchChromium } from '../support/chromium';
import { type RunningCli, startCli, tempDataDir } from '../support/cli-process';
import { FIXTURE } from '../support/engine-client';
import { tempHome } from '../support/temp-home';
import { repoRoot } from '../support/paths';
import { maskKey } from '../../src/shared/connect';

// Issue 8's "done when", as a user does it: add a server through the form, start it, copy
// its URL, connect a real MCP client with what was copied, watch the call's four legs in the
// inspector, filter, read the raw answer, stop. Screenshots of the main views (light and
// dark) go to test-results/screenshots, ignored by git, so a test run leaves the tree clean;
// `npm run screenshots` writes them to docs/screenshots for the README on purpose.

const SHOTS = join(repoRoot, process.env['PATCHBAY_SCREENSHOTS_DIR'] ?? 'test-results/screenshots');

/** The cells of the frame rows in the DOM (a string: this tsconfig has no DOM types). */
const ROWS = `Array.from(document.querySelectorAll('[role=grid][aria-label=Frames] [data-seq]'))
  .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
  .map((r) => Array.from(r.children, (c) => c.textContent))`;

describe('the main flow in the browser (patchbay serve)', () => {
  let cli: RunningCli;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    // Its own HOME: the Connect tab's status reads client config files, never this machine's.
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
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(uiUrl);
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await cli?.stop();
  });

  /** Saves the window as it is now, in both themes. */
  const shoot = async (name: string) => {
    // Toasts ("Copied") fade by themselves; the pictures show the view, not the last action.
    await expect.poll(() => page.locator('.toast').count(), { timeout: 8000 }).toBe(0);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };
  const state = () => page.getByTestId('server-state').textContent();
  const rows = () => page.evaluate<string[][]>(ROWS);

  it('adds, starts, copies, connects, inspects and stops a server', async () => {
    await page.getByRole('heading', { name: 'No servers yet' }).waitFor();
    await shoot('empty');

    await page.getByRole('button', { name: 'Add server', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add server' });
    const name = dialog.getByLabel('Name', { exact: true });
    // It opens with the cursor in Name (a frame later): type once it is there.
    await expect
      .poll(() =>
        name.evaluate(
          (el: { ownerDocument: { activeElement: unknown } }) => el === el.ownerDocument.activeElement,
        ),
      )
      .toBe(true);
    await name.fill('everything-echo');
    await dialog.getByLabel('Command', { exact: true }).fill(joinCommandLine([process.execPath, FIXTURE]));
    await shoot('add-server');
    await dialog.getByRole('button', { name: 'Add server', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(state).toMatch(/^stopped/);

    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(state, { timeout: 10_000 }).toMatch(/^running/);

    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByRole('status').getByText('Copied').waitFor();
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    // The header shows the URL with its key masked; Copy gives the capability URL itself.
    expect(maskKey(copied)).toBe(await page.getByTestId('server-url').textContent());
    expect(copied).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp(\?key=[\w-]+)?$/);

    // A real client, on the URL read back from the clipboard.
    const client = new Client({ name: 'main-flow', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(copied)));
    const marker = `hello-${Date.now()}`;
    const calledAt = Date.now();
    const result = await client.callTool({ name: 'echo', arguments: { text: marker } });
    expect(JSON.stringify(result)).toContain(marker);

    // The four legs of that call, on screen within a second of the answer.
    await page.getByLabel('Filter frames').fill(marker);
    await expect
      .poll(async () => (await rows()).map((c) => `${c[2]} ${c[3]}`), { timeout: 1000, interval: 50 })
      // Nothing streamed before the answer, so it left as one JSON body (issue 14).
      .toEqual(['⇢ http', '→ stdio', '← stdio', '⇠ http']);
    expect(Date.now() - calledAt).toBeLessThan(2000);
    // The filter narrows to the call: its requests, and its answers paired to them by id.
    await page.getByLabel('Filter frames').fill('method:tools/call');
    await expect
      .poll(async () => (await rows()).map((c) => `${c[2]} ${c[5]}`))
      .toEqual(['⇢ tools/call', '→ tools/call', '← tools/call', '⇠ tools/call']);
    await page.getByLabel('Filter frames').fill(marker);
    await expect.poll(async () => (await rows()).length).toBe(4);

    // The answer, raw: exactly the JSON body the client read.
    await page.locator('[data-seq]').nth(3).click();
    const details = page.getByRole('region', { name: 'Frame details' });
    const raw = details.getByRole('region', { name: 'Raw' });
    await expect.poll(() => raw.locator('pre').textContent()).toMatch(new RegExp(`^\\{.*${marker}.*\\}$`));
    await page.getByLabel('Filter frames').fill('');
    await shoot('inspector');

    // The Tools tab: the fixture's echo called from the window, its result shown.
    await page.getByRole('tab', { name: 'Tools' }).click();
    await page.getByRole('button', { name: /^echo\b/ }).click();
    await page.getByRole('textbox', { name: 'text', exact: true }).fill('called from the window');
    await page.getByRole('button', { name: 'Call echo' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Result' }).textContent())
      .toContain('called from the window');
    await shoot('tools');

    // Some stderr for the Logs picture, at three levels.
    for (const text of ['INFO cache warmed', 'WARN slow upstream, retrying', 'ERROR upstream timed out'])
      await client.callTool({ name: 'stderr', arguments: { lines: 2, text } });
    for (const tab of ['Logs', 'Sessions', 'Connect', 'Settings'] as const) {
      await page.getByRole('tab', { name: tab }).click();
      if (tab === 'Sessions') await page.getByText('main-flow').first().waitFor();
      if (tab === 'Logs') await page.getByText('ERROR upstream timed out 2').waitFor();
      await shoot(tab.toLowerCase());
    }
    await page.getByRole('tab', { name: 'Inspector' }).click();
    await client.close();

    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(state, { timeout: 10_000 }).toMatch(/^stopped/);
    await expect
      .poll(async () => {
        try {
          await fetch(copied, { method: 'POST', body: '{}' });
          return 'still listening';
        } catch {
          return 'closed';
        }
      })
      .toBe('closed');
    expect(problems).toEqual([]);
  });
});
