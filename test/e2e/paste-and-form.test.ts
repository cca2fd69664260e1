// The Add dialog's paste and form, as a newcomer uses them with what READMEs hold: a huge or
// prose paste is refused with a reason and never freezes the tab; README sections, client add
// commands and Codex TOML are understood; the engine's port reason shows; primary buttons stay
// readable on hover in the light theme.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinCommandLine } from '../../src/shared/command-line';
import { launchChromium } from '../support/chromium';
import { type RunningCli, startCli, tempDataDir } from '../support/cli-process';
import { FIXTURE } from '../support/engine-client';
import { tempHome } from '../support/temp-home';

const eventually = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000 });
const isFocused = (l: Locator) =>
  l.evaluate((el: { ownerDocument: { activeElement: unknown } }) => el === el.ownerDocument.activeElement);

/** WCAG contrast of an element's text over its background, as drawn now (computed RGB). */
const contrastOf = (l: Locator) =>
  l.evaluate((el: unknown) => {
    const style = (
      globalThis as unknown as { getComputedStyle(e: unknown): { color: string; backgroundColor: string } }
    ).getComputedStyle(el);
    const lum = (css: string) => {
      const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
        const c = Number(v) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
    return (a! + 0.05) / (b! + 0.05);
  });

describe('paste and form in the Add dialog (patchbay serve)', () => {
  let cli: RunningCli;
  let uiUrl: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const { env } = tempHome();
    cli = await startCli(
      ['serve', '--data-dir', tempDataDir(), '--port', '0'],
      /Patchbay UI: (http:\/\/\S+)/,
      { env },
    );
    uiUrl = /Patchbay UI: (\S+)/.exec(cli.output())![1]!;
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (err) => problems.push(err.message));
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(uiUrl);
    await page.getByRole('heading', { name: 'No servers yet' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await cli?.stop();
  });

  const addDialog = () => page.getByRole('dialog', { name: 'Add server' });
  const openAdd = async () => {
    await page.getByRole('button', { name: 'Add server', exact: true }).first().click();
    const dialog = addDialog();
    await dialog.waitFor();
    await eventually(() => isFocused(dialog.getByLabel('Name', { exact: true }))).toBe(true);
    return dialog;
  };
  const openPaste = async () => {
    const dialog = await openAdd();
    await dialog.getByRole('button', { name: 'Paste a client config' }).click();
    return { dialog, box: dialog.getByLabel('Client config or command line') };
  };
  const close = async () => {
    await page.keyboard.press('Escape');
    await addDialog().waitFor({ state: 'hidden' });
  };

  it('refuses an oversized paste at once, with the reason, and stays responsive', async () => {
    const { dialog, box } = await openPaste();
    await box.fill('lorem ipsum dolor sit amet '.repeat(40_000)); // 1 MB: over the limit; the 5 MB case is a unit test
    await dialog.getByText(/fits in 256 KB/).waitFor();
    expect(await dialog.getByRole('button', { name: 'Read config' }).isDisabled()).toBe(true);
    expect(await dialog.getByRole('list', { name: 'Runs as' }).count()).toBe(0);
    // The page answers: nothing is drawing a chip per word.
    expect(await page.evaluate('1 + 1')).toBe(2);
    await close();
  });

  it('refuses prose under the limit with the engine reason, drawing no chips', async () => {
    const { dialog, box } = await openPaste();
    await box.fill('word '.repeat(40_000));
    await dialog.getByRole('button', { name: 'Read config' }).click();
    await dialog.getByText(/reads like prose/).waitFor();
    expect(await dialog.getByLabel('Command', { exact: true }).inputValue()).toBe('');
    await close();
  });

  it('caps the chips of a very long command line', async () => {
    const dialog = await openAdd();
    await dialog.getByLabel('Command', { exact: true }).fill(`node ${'a '.repeat(1_000)}`);
    const chips = dialog.getByRole('list', { name: 'Runs as' }).getByRole('listitem');
    await eventually(() => chips.count()).toBe(65);
    expect(await chips.last().textContent()).toBe('+937 more');
    await close();
  });

  it('reads a README section, a client add command and Codex TOML', async () => {
    const { dialog, box } = await openPaste();
    const name = dialog.getByLabel('Name', { exact: true });
    const command = dialog.getByLabel('Command', { exact: true });
    const read = () => dialog.getByRole('button', { name: 'Read config' }).click();

    await box.fill(
      [
        '## Setup',
        '```bash',
        'npm install -g @modelcontextprotocol/server-memory',
        '```',
        'Then add to your config:',
        '```json',
        '{ "mcpServers": { "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] } } }',
        '```',
      ].join('\n'),
    );
    await read();
    await eventually(() => name.inputValue()).toBe('memory');
    expect(await command.inputValue()).toBe('npx -y @modelcontextprotocol/server-memory');

    await box.fill('claude mcp add fs -e ROOT=/tmp -- npx -y @modelcontextprotocol/server-filesystem /tmp');
    await read();
    await eventually(() => name.inputValue()).toBe('fs');
    expect(await command.inputValue()).toBe('npx -y @modelcontextprotocol/server-filesystem /tmp');
    expect(await dialog.getByLabel('Value of ROOT').inputValue()).toBe('/tmp');

    await box.fill('[mcp_servers.fetch]\ncommand = "uvx"\nargs = ["mcp-server-fetch"]\n');
    await read();
    await eventually(() => name.inputValue()).toBe('fetch');
    expect(await command.inputValue()).toBe('uvx mcp-server-fetch');
    await close();
  });

  it("names Patchbay's own window when its port is chosen", async () => {
    const dialog = await openAdd();
    await dialog.getByLabel('Name', { exact: true }).fill('on-ui-port');
    await dialog.getByLabel('Command', { exact: true }).fill(joinCommandLine([process.execPath, FIXTURE]));
    await dialog.getByLabel('Port', { exact: true }).fill(new URL(uiUrl).port);
    await dialog.getByRole('button', { name: 'Add server', exact: true }).click();
    await eventually(async () => (await dialog.textContent()) ?? '').toContain(
      "Patchbay's own window uses this port",
    );
    expect(await dialog.textContent()).not.toContain('Ports run from 1 to 65535');
    await close();
  });

  it('keeps a primary button readable on hover in the light theme', async () => {
    const dialog = await openAdd();
    const primary = dialog.getByRole('button', { name: 'Add server', exact: true });
    expect(await primary.getAttribute('class')).toContain('primary');
    const before = await contrastOf(primary);
    await primary.hover();
    await eventually(() => contrastOf(primary)).toBeGreaterThanOrEqual(3);
    expect(before).toBeGreaterThanOrEqual(3);
    await close();
    expect(problems).toEqual([]);
  });
});
