import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinCommandLine } from '../../src/shared/command-line';
import { launchChromium } from '../support/chromium';
import { type RunningCli, startCli, tempDataDir } from '../support/cli-process';
import { FIXTURE } from '../support/engine-client';
import { freePort } from '../support/free-port';
import { tempHome } from '../support/temp-home';
import { maskKey } from '../../src/shared/connect';

async function holdPort(port: number): Promise<Server> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(port, '127.0.0.1', r));
  return s;
}

// Run in the page; typed by hand, as this tsconfig has no DOM types.
/** Polls until the assertion holds; generous, as the machine is shared with other browser tests. */
const eventually = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000 });

const isFocused = (l: Locator) =>
  l.evaluate((el: { ownerDocument: { activeElement: unknown } }) => el === el.ownerDocument.activeElement);
const hasClass = (l: Locator, name: string) =>
  l.evaluate(
    (el: { classList: { contains(c: string): boolean } }, c: string) => el.classList.contains(c),
    name,
  );

describe('servers in the browser (patchbay serve)', () => {
  let cli: RunningCli;
  let uiUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    // A home of its own, with a Cursor config to import from: never this machine's files.
    const { home, env } = tempHome();
    mkdirSync(join(home, '.cursor'));
    writeFileSync(
      join(home, '.cursor/mcp.json'),
      JSON.stringify({
        mcpServers: {
          // A flag of its own: the same command as a server already added would be skipped as existing.
          'from-cursor': { command: process.execPath, args: [FIXTURE, '--noise-on-start'] },
          'remote-one': { url: 'https://mcp.example/mcp' },
        },
      }),
    );
    const started = await startCli(
      ['serve', '--data-dir', tempDataDir(), '--port', '0'],
      /Patchbay UI: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/,
      { env },
    );
    cli = started;
    uiUrl = started.match[1]!;
    browser = await launchChromium();
    context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(uiUrl).origin });
    page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(uiUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await cli?.stop();
  });

  const sidebarRow = (name: string) =>
    page.getByRole('listbox', { name: 'Servers' }).getByRole('option', { name: new RegExp(`^${name}\\b`) });
  const header = () => page.locator('#server-name');
  const stateText = () => page.getByTestId('server-state').textContent();
  const addDialog = () => page.getByRole('dialog', { name: 'Add server' });
  const textOf = async (l: Locator) => (await l.textContent()) ?? '';

  /** Clicks Copy in the header and reads the clipboard back: the URL a user pastes into a client. */
  const copiedUrl = async () => {
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByRole('status').getByText('Copied').first().waitFor();
    return page.evaluate<string>('navigator.clipboard.readText()');
  };

  /** Fills the Add form's command with our fixture server and its flags. */
  const fixtureLine = (...flags: string[]) => joinCommandLine([process.execPath, FIXTURE, ...flags]);

  it('teaches the first step, then adds a server through the form, checking it as the user types', async () => {
    await page.getByRole('heading', { name: 'No servers yet' }).waitFor();
    expect(
      await page.getByText('Add a server or import the ones your AI clients already use').isVisible(),
    ).toBe(true);
    for (const name of ['Import from installed clients', 'Paste a client config'])
      expect(await page.getByRole('button', { name }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Add server', exact: true }).click();

    const dialog = addDialog();
    await dialog.waitFor();
    const name = dialog.getByLabel('Name', { exact: true });
    await eventually(() => isFocused(name)).toBe(true); // opens with the cursor in Name
    await name.fill('alpha');
    await name.fill('');
    const nameError = dialog.getByText('Give the server a name');
    await nameError.waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    // The message is the field's description, so a screen reader reads it with the field.
    const describedBy = (await name.getAttribute('aria-describedby')) ?? '';
    expect(describedBy.split(' ')).toContain(await nameError.getAttribute('id'));
    await name.fill('alpha');
    await nameError.waitFor({ state: 'detached' });
    expect(await name.getAttribute('aria-invalid')).toBe(null);

    const command = dialog.getByLabel('Command', { exact: true });
    await command.fill('node "server.js');
    await dialog.getByText('A double quote is not closed').waitFor();
    await command.fill(fixtureLine());
    const argv = dialog.getByRole('list', { name: 'Runs as' }).getByRole('listitem');
    await eventually(() => argv.allTextContents()).toEqual([process.execPath, FIXTURE]);

    await dialog.getByRole('button', { name: 'Add server', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await sidebarRow('alpha').waitFor();
    expect(await sidebarRow('alpha').getAttribute('aria-selected')).toBe('true');
    expect(await header().textContent()).toBe('alpha');
    expect(await stateText()).toBe('stopped · isolated · 0 sessions');
  });

  it('starts it (the dot turns green) and copies its URL', async () => {
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await eventually(stateText).toMatch(/^running/);
    await eventually(() => hasClass(sidebarRow('alpha').locator('.dot'), 'dot-running')).toBe(true);
    expect(await page.getByRole('button', { name: 'Stop', exact: true }).isEnabled()).toBe(true);
    expect(await sidebarRow('alpha').getByRole('img').getAttribute('aria-label')).toBe(
      '0 requests in the last 2 minutes',
    );

    const shown = await textOf(page.getByTestId('server-url'));
    expect(shown).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp(\?key=••••)?$/);
    // Copy gives the URL as shown, with the real key where the header masks it.
    const copied = await copiedUrl();
    expect(maskKey(copied)).toBe(shown);
  });

  it('edits it: a new port gives a new URL', async () => {
    const port = await freePort();
    await page.getByRole('tab', { name: 'Settings' }).click();
    const portField = page.getByLabel('Port', { exact: true });
    await portField.fill(String(port));
    await page.getByRole('button', { name: 'Save changes' }).click();
    await eventually(async () => new URL(await textOf(page.getByTestId('server-url'))).port).toBe(
      String(port),
    );
    await eventually(stateText).toMatch(/^running/);
    expect(await portField.inputValue()).toBe(String(port));
  });

  it('applies a rename live, and asks before a restart that would drop a connected client', async () => {
    const url = await copiedUrl();
    const client = new Client({ name: 'connected-editor', version: '2.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    try {
      await page.getByRole('tab', { name: 'Settings' }).click();
      const name = page.getByLabel('Name', { exact: true });
      await name.fill('alpha-live');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await eventually(() => header().textContent()).toBe('alpha-live');
      // No restart: the client's session still answers.
      await client.callTool({ name: 'echo', arguments: { text: 'still connected' } });

      const command = page.getByLabel('Command', { exact: true });
      await command.fill(fixtureLine('--edited-in-settings'));
      await page.getByRole('button', { name: 'Save changes' }).click();
      const ask = page.getByRole('dialog', { name: 'Restart to apply?' });
      await ask.waitFor();
      expect(await textOf(ask)).toContain('connected-editor 2.0');
      await ask.getByRole('button', { name: 'Keep editing' }).click();
      await client.callTool({ name: 'echo', arguments: { text: 'nothing restarted' } });

      await page.getByRole('button', { name: 'Save changes' }).click();
      await ask.waitFor();
      await ask.getByRole('button', { name: 'Save and restart' }).click();
      await page.getByRole('status').getByText('Saved and restarted').waitFor();
      await eventually(stateText).toMatch(/^running/);
      await name.fill('alpha');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await eventually(() => header().textContent()).toBe('alpha');
    } finally {
      await client.close();
    }
  });

  it('duplicates it, then deletes the copy after asking', async () => {
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await sidebarRow('alpha copy').waitFor();
    await eventually(() => header().textContent()).toBe('alpha copy');
    expect(await sidebarRow('alpha copy').getAttribute('aria-selected')).toBe('true');

    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete alpha copy?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await sidebarRow('alpha copy').waitFor({ state: 'detached' });
    await eventually(() => header().textContent()).toBe('alpha');
    expect(await page.getByRole('listbox', { name: 'Servers' }).getByRole('option').count()).toBe(1);
  });

  it('fills the form from a pasted client config', async () => {
    await page.getByRole('button', { name: '+ Add server' }).click();
    const dialog = addDialog();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Paste a client config' }).click();
    const box = dialog.getByLabel('Client config or command line');

    // Several servers: each can be picked; the remote one is skipped, with why.
    await box.fill(
      JSON.stringify({
        mcpServers: {
          beta: { command: 'node', args: ['beta.js', '--flag'], env: { API_KEY: 'abc', LEVEL: 'debug' } },
          delta: { command: 'npx', args: ['-y', 'delta-server'] },
          remote: { url: 'https://mcp.example/mcp' },
        },
      }),
    );
    await dialog.getByRole('button', { name: 'Read config' }).click();
    await dialog.getByText('Found 2 servers').waitFor();
    expect(await dialog.getByRole('button', { name: 'Add all 2' }).isVisible()).toBe(true);
    expect(await textOf(dialog.locator('.skipped-list'))).toContain('remote');
    await dialog.getByRole('button', { name: 'Use beta' }).click();

    await eventually(() => dialog.getByLabel('Name', { exact: true }).inputValue()).toBe('beta');
    expect(await dialog.getByLabel('Command', { exact: true }).inputValue()).toBe('node beta.js --flag');
    expect(await dialog.getByLabel('Name of API_KEY').inputValue()).toBe('API_KEY');
    expect(await dialog.getByLabel('Value of API_KEY').inputValue()).toBe('abc');
    expect(await dialog.getByLabel('Keep API_KEY secret').isChecked()).toBe(true);
    expect(await dialog.getByLabel('Keep LEVEL secret').isChecked()).toBe(false);

    // One server (a plain command line): the form fills at once.
    await box.fill('npx -y @modelcontextprotocol/server-memory');
    await dialog.getByRole('button', { name: 'Read config' }).click();
    await eventually(() => dialog.getByLabel('Name', { exact: true }).inputValue()).toBe('memory');
    expect(await dialog.getByLabel('Command', { exact: true }).inputValue()).toBe(
      'npx -y @modelcontextprotocol/server-memory',
    );

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByRole('listbox', { name: 'Servers' }).getByRole('option').count()).toBe(1);
  });

  it('shows a crashed server as crashed, with its reason', async () => {
    await page.getByRole('button', { name: '+ Add server' }).click();
    const dialog = addDialog();
    const name = dialog.getByLabel('Name', { exact: true });
    // The dialog puts the cursor in Name a frame after it opens; typing elsewhere before
    // that would lose the keys to the focus move (as it would for a user).
    await eventually(() => isFocused(name)).toBe(true);
    await dialog.getByLabel('Command', { exact: true }).fill(fixtureLine('--exit-on-start=3'));
    // A name the engine refuses on save: its message shows under the field.
    await name.fill('ALPHA');
    await dialog.getByRole('button', { name: 'Add server', exact: true }).click();
    // Polled on the dialog's whole text: a failure shows what the user saw instead.
    await eventually(() => textOf(dialog)).toContain('This name is taken');
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await name.fill('crashy');
    await dialog.getByText('This name is taken').waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: 'Add server', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await eventually(() => header().textContent()).toBe('crashy');

    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const notice = page.getByTestId('crash-notice');
    await notice.waitFor({ timeout: 10_000 });
    await eventually(() => textOf(notice)).toMatch(/exited with code 3: fixture: exiting on start/);
    await eventually(() => textOf(notice)).toMatch(/Restarting (in \d+ s|now)/);
    // The sidebar row stands out and says why on hover.
    const row = sidebarRow('crashy');
    await eventually(() => textOf(row)).toContain('crashed');
    expect(await row.getAttribute('title')).toMatch(/exited with code 3/);

    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await eventually(stateText).toMatch(/^stopped/);
  });

  it('says when the port is taken, and leads to the port field', async () => {
    await sidebarRow('alpha').click();
    await eventually(() => header().textContent()).toBe('alpha');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await eventually(stateText).toMatch(/^stopped/);
    const port = Number(new URL(await textOf(page.getByTestId('server-url'))).port);
    const squatter = await holdPort(port);
    try {
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      const error = page.getByTestId('server-error');
      await eventually(() => textOf(error)).toContain(`Port ${port} is used by another program`);
      await error.getByRole('button', { name: 'Pick another port' }).click();
      expect(await page.getByRole('tab', { name: 'Settings' }).getAttribute('aria-selected')).toBe('true');
      await eventually(() => isFocused(page.getByLabel('Port', { exact: true }))).toBe(true);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it('jumps to a server with Ctrl-K, and moves through the sidebar with the arrow keys', async () => {
    await page.keyboard.press('Control+K');
    const palette = page.getByRole('dialog', { name: 'Jump to server' });
    await palette.waitFor();
    await eventually(() => isFocused(palette.getByRole('combobox'))).toBe(true);
    await page.keyboard.type('cra');
    expect(await palette.getByRole('option').allTextContents()).toEqual(['crashy']);
    await page.keyboard.press('Enter');
    await palette.waitFor({ state: 'hidden' });
    await eventually(() => header().textContent()).toBe('crashy');
    expect(await sidebarRow('crashy').getAttribute('aria-selected')).toBe('true');

    // Esc closes without moving.
    await page.keyboard.press('Control+K');
    await palette.waitFor();
    await page.keyboard.press('Escape');
    await palette.waitFor({ state: 'hidden' });
    expect(await header().textContent()).toBe('crashy');

    await sidebarRow('crashy').focus();
    await page.keyboard.press('ArrowUp');
    await eventually(() => header().textContent()).toBe('alpha');
    expect(await isFocused(sidebarRow('alpha'))).toBe(true);
    await page.keyboard.press('ArrowDown');
    await eventually(() => header().textContent()).toBe('crashy');
  });

  it('imports what the installed clients have, and says what it skipped', async () => {
    await page.getByRole('button', { name: '+ Add server' }).click();
    await addDialog().getByRole('button', { name: 'Import from installed clients' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import from installed clients' });
    await dialog.waitFor();
    await dialog.getByText('from-cursor').waitFor();
    expect(await dialog.getByRole('checkbox', { name: /from-cursor/ }).isChecked()).toBe(true);
    await dialog.getByText('Skipped 1').click();
    expect(await textOf(dialog)).toMatch(/remote-one.*remote/s);
    await dialog.getByRole('button', { name: 'Import 1 server' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await sidebarRow('from-cursor').waitFor();
  });

  it('logged no page or console errors', () => {
    expect(problems).toEqual([]);
  });
});
