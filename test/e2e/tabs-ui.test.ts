import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import type { RunningCli } from '../support/cli-process';
import { serveWithServer } from '../support/serve-with-server';
import { tempHome } from '../support/temp-home';
import { maskKey } from '../../src/shared/connect';

describe('Logs, Sessions, Connect and Settings in the browser (patchbay serve)', () => {
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
    ({ cli, uiUrl, mcpUrl } = await serveWithServer('tabs', { home, env: isolated.env }));
    browser = await launchChromium();
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
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

  const connectClient = async (name: string) => {
    const client = new Client({ name, version: '1.2.3' });
    const transport = new StreamableHTTPClientTransport(new URL(mcpUrl));
    await client.connect(transport);
    return { client, transport };
  };
  const writeStderr = (client: Client, text: string, lines: number) =>
    client.callTool({ name: 'stderr', arguments: { text, lines } });
  const logTexts = () =>
    page.evaluate<string[]>(
      "Array.from(document.querySelectorAll('.log-line .log-text'), (e) => e.textContent)",
    );
  const clipboard = () => page.evaluate<string>('navigator.clipboard.readText()');
  const logSeqs = () =>
    page.evaluate<string[]>(
      "Array.from(document.querySelectorAll('.log-line'), (e) => e.getAttribute('data-seq'))",
    );

  it('Logs: shows stderr live, once, across a reload; search filters; clear empties', async () => {
    const { client, transport } = await connectClient('logs-e2e');
    try {
      await page.getByRole('tab', { name: 'Logs' }).click();
      await writeStderr(client, 'hello-e2e', 3);
      await writeStderr(client, 'ERROR boom', 1);
      await expect
        .poll(logTexts)
        .toEqual(expect.arrayContaining(['hello-e2e 1', 'hello-e2e 3', 'ERROR boom 1']));
      expect(await page.locator('.log-line.level-error', { hasText: 'ERROR boom 1' }).count()).toBe(1);

      await page.reload();
      await page.getByRole('tab', { name: 'Logs' }).click();
      await expect.poll(logTexts).toContain('ERROR boom 1');
      await writeStderr(client, 'after-reload', 2);
      await expect.poll(logTexts).toContain('after-reload 2');
      const seqs = await logSeqs();
      expect(new Set(seqs).size).toBe(seqs.length); // snapshot and live batches: no duplicate
      // Back from another tab: the whole log is asked again, and nothing shows twice.
      await page.getByRole('tab', { name: 'Inspector' }).click();
      await page.getByRole('tab', { name: 'Logs' }).click();
      await expect.poll(logSeqs).toEqual(seqs);

      const search = page.getByRole('searchbox', { name: 'Search logs' });
      await page.getByRole('log', { name: 'Server stderr' }).focus();
      await page.keyboard.press('/');
      expect(await page.evaluate("document.activeElement?.getAttribute('aria-label')")).toBe('Search logs');
      await search.fill('hello-e2e 2');
      await expect.poll(logTexts).toEqual(['hello-e2e 2']);
      await expect.poll(() => page.getByTestId('log-count').textContent()).toMatch(/^1 of \d+ lines$/);
      // Copy takes the lines shown, with their times.
      await page.getByRole('button', { name: 'Copy lines' }).click();
      await expect.poll(clipboard).toMatch(/^\d\d:\d\d:\d\d\.\d{3} hello-e2e 2$/);
      await search.fill('');
      await expect.poll(async () => (await logTexts()).length).toBeGreaterThan(5);

      await page.getByRole('button', { name: 'Clear log' }).click();
      await expect.poll(logTexts).toEqual([]);
      await expect.poll(() => page.getByTestId('log-count').textContent()).toBe('0 lines');
      await writeStderr(client, 'after-clear', 1);
      await expect.poll(logTexts).toEqual(['after-clear 1']);
    } finally {
      await transport.terminateSession(); // the Sessions test expects its own client only
      await client.close();
    }
  });

  it('Sessions: lists the client by name and version; End session ends it', async () => {
    const { client } = await connectClient('tabs-e2e');
    await client.callTool({ name: 'echo', arguments: { text: 'x' } });
    await page.getByRole('tab', { name: 'Sessions' }).click();
    const row = page.getByRole('row', { name: /tabs-e2e 1\.2\.3/ });
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.textContent()).toMatch(/\d{4}-\d{2}-\d{2}/); // the protocol revision
    // The histogram reads the latencies of the responses so far.
    await expect
      .poll(() => page.getByTestId('latency-p50').textContent(), { timeout: 5000 })
      .toMatch(/ms|s$/);
    await expect
      .poll(() => page.getByRole('img', { name: /^Latency histogram of the last \d+ responses/ }).count())
      .toBe(1);

    await page.getByRole('button', { name: 'End session of tabs-e2e' }).click();
    await expect.poll(() => row.count()).toBe(0);
    await expect
      .poll(() => page.locator('.toaster').textContent())
      .toContain('Ended the session of tabs-e2e');
    await expect(client.callTool({ name: 'echo', arguments: { text: 'y' } })).rejects.toThrow();
    await client.close().catch(() => {});
    await expect.poll(() => page.getByText('No client connected.').count()).toBe(1);
  });

  it('Sessions: counts how often a session was revived after its process crashed', async () => {
    const { client, transport } = await connectClient('revive-e2e');
    try {
      await page.getByRole('tab', { name: 'Sessions' }).click();
      const row = page.getByRole('row', { name: /revive-e2e 1\.2\.3/ });
      const revived = row.locator('td.revivals');
      await expect.poll(() => revived.textContent()).toBe('0');
      // The call in flight fails with the process; the next one revives the session.
      await expect(client.callTool({ name: 'crash', arguments: {} })).rejects.toThrow();
      const again = await client.callTool({ name: 'echo', arguments: { text: 'revived' } });
      expect(JSON.stringify(again)).toContain('revived');
      await expect.poll(() => revived.textContent(), { timeout: 10_000 }).toBe('1');
      expect(await revived.getAttribute('title')).toMatch(/^Revived once/);
      expect(await page.getByRole('columnheader', { name: 'Revived' }).count()).toBe(1);
    } finally {
      await transport.terminateSession();
      await client.close();
    }
    expect(problems).toEqual([]);
  });

  it('Connect: the Cursor snippet, Add writes the file in HOME, the status follows, Remove', async () => {
    await page.getByRole('tab', { name: 'Connect' }).click();
    await page.getByRole('tab', { name: 'Cursor', exact: true }).click();
    // Files take the bare URL and the key as a header (masked on the page, real when copied).
    const key = new URL(mcpUrl).searchParams.get('key');
    const bare = mcpUrl.replace(/\?key=.*$/, '');
    const link = page.getByRole('link', { name: 'Open in Cursor' });
    expect(await link.getAttribute('href')).toMatch(/^cursor:\/\/anysphere\.cursor-deeplink\/mcp\/install\?/);
    await expect.poll(() => page.locator('pre', { hasText: bare }).count()).toBe(1);
    if (key) expect(await page.locator('pre', { hasText: bare }).textContent()).not.toContain(key);
    await page.getByRole('button', { name: 'Copy Or add to mcp.json' }).click();
    await expect.poll(clipboard).toContain(`"url": "${bare}"`);
    if (key) expect(await clipboard()).toContain(`"Authorization": "Bearer ${key}"`);
    const cursorFile = join(home, '.cursor', 'mcp.json');
    // The file shown must be the temp HOME's, never this machine's own.
    await expect.poll(() => page.locator('.connect-client-path').textContent()).toBe(cursorFile);
    const state = () => page.getByTestId('client-state').textContent();
    const readCursor = () =>
      JSON.parse(readFileSync(cursorFile, 'utf8')) as {
        mcpServers: Record<string, { url?: string; headers?: Record<string, string> }>;
      };
    const urls = () => Object.values(readCursor().mcpServers).map((e) => e.url);
    const auth = () => Object.values(readCursor().mcpServers).map((e) => e.headers?.['Authorization']);
    await expect.poll(state).toBe('Not set up');

    await page.getByRole('button', { name: 'Add to Cursor' }).click();
    await expect.poll(state).toBe('Registered');
    expect(existsSync(cursorFile)).toBe(true);
    const written = readCursor();
    expect(urls()).toEqual([bare]);
    expect(auth()).toEqual([key ? `Bearer ${key}` : undefined]);
    await expect.poll(() => page.getByTestId('client-written').textContent()).toContain(cursorFile);

    const name = Object.keys(written.mcpServers)[0]!;

    await page.getByRole('button', { name: 'Remove from Cursor' }).click();
    await expect.poll(state).toBe('Not added');
    const after = JSON.parse(readFileSync(cursorFile, 'utf8')) as { mcpServers?: Record<string, unknown> };
    expect(Object.keys(after.mcpServers ?? {})).toEqual([]);

    // A different server under the same name: Add asks before replacing it, and keeps a backup.
    writeFileSync(
      cursorFile,
      JSON.stringify({ mcpServers: { [name]: { command: 'npx', args: ['other'] } } }),
    );
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(state).toBe('Name taken');
    await page.getByRole('button', { name: 'Add to Cursor' }).click();
    const confirm = page.getByRole('dialog', { name: 'Replace the entry in Cursor?' });
    await confirm.getByRole('button', { name: 'Replace' }).click();
    await expect.poll(state).toBe('Registered');
    expect(urls()).toEqual([bare]);
    await expect.poll(() => page.getByTestId('client-written').textContent()).toContain('Backup: ');

    // This server's entry from an older port: Update.
    writeFileSync(cursorFile, JSON.stringify({ mcpServers: { [name]: { url: 'http://127.0.0.1:1/mcp' } } }));
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(state).toBe('Out of date');
    await page.getByRole('button', { name: 'Update in Cursor' }).click();
    await expect.poll(state).toBe('Registered');
    expect(urls()).toEqual([bare]);
  });

  it('Settings: frame history survives a reload; export downloads every server', async () => {
    const settingsButton = page.getByRole('button', { name: 'App settings', exact: true });
    await settingsButton.click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    const history = dialog.getByRole('checkbox', { name: 'Keep frame history on disk' });
    await expect.poll(() => history.isChecked()).toBe(false);
    await history.check();
    await dialog.getByRole('textbox', { name: 'Max frames' }).fill('5000');
    await dialog.getByRole('textbox', { name: 'Max age', exact: true }).fill('12');
    await dialog.getByRole('combobox', { name: 'Max age unit' }).selectOption('hours');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.toaster').textContent()).toContain('Settings saved');
    // Close to tray is the desktop's: the browser does not offer it.
    expect(await dialog.getByText('Closing the window keeps servers running').count()).toBe(0);

    await page.reload();
    await settingsButton.click();
    await expect.poll(() => history.isChecked()).toBe(true);
    expect(await dialog.getByRole('textbox', { name: 'Max frames' }).inputValue()).toBe('5000');
    expect(await dialog.getByRole('textbox', { name: 'Max age', exact: true }).inputValue()).toBe('12');

    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export all servers' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^patchbay-servers-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(readFileSync(await file.path(), 'utf8')) as {
      servers: { name: string }[];
    };
    expect(exported.servers.map((s) => s.name)).toEqual(['tabs']);

    // Import: pasted text that is not an export is refused in words; an export adds its servers.
    const paste = dialog.getByRole('textbox', { name: 'Paste a Patchbay export' });
    await paste.fill('{"hello": 1}');
    await dialog.getByRole('button', { name: 'Import pasted text' }).click();
    await expect.poll(() => dialog.locator('.error').textContent()).toContain('not a Patchbay export');
    await paste.fill(readFileSync(await file.path(), 'utf8'));
    await dialog.getByRole('button', { name: 'Import pasted text' }).click();
    await expect.poll(() => page.locator('.toaster').textContent()).toContain('Imported 1 server: tabs-2');

    await dialog.getByRole('button', { name: 'Stop all' }).click();
    await expect.poll(() => page.locator('.toaster').textContent()).toContain('Stopped all servers');
    await dialog.getByRole('button', { name: 'Start all' }).click();
    await expect.poll(() => page.locator('.toaster').textContent()).toContain('Started 2 of 2 servers');
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(problems).toEqual([]);
  });
});
