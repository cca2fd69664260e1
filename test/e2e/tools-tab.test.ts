import { createRequire } from 'node:module';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerManager } from '../../src/main/core/manager/server-manager';
import { launchChromium } from '../support/chromium';
import { type RunningCli, startCli, tempDataDir } from '../support/cli-process';
import { freePort } from '../support/free-port';
import { tempHome } from '../support/temp-home';

const EVERYTHING = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-everything/dist/index.js',
);

describe('The Tools tab against server-everything (patchbay serve, Chromium)', () => {
  let cli: RunningCli;
  let uiUrl: string;
  let mcpUrl: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const isolated = tempHome();
    env = isolated.env;
    dataDir = tempDataDir();
    // Created and started by a manager that then shuts down: `serve` restores it at launch.
    const m = ServerManager.open({ dataDir, home: isolated.home });
    // An OS-given port: the default search from 7301 races other test files on a busy machine.
    const s = await m.create({
      name: 'everything',
      command: process.execPath,
      args: [EVERYTHING, 'stdio'],
      port: await freePort(),
    });
    await m.start(s.id);
    await m.shutdown();
    await serve();
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    await page.goto(uiUrl);
    await page.getByRole('tab', { name: 'Tools' }).click();
    await page.getByRole('button', { name: /^echo\b/ }).waitFor({ timeout: 20_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await cli?.stop();
  });

  /** `patchbay serve` on the data dir (it restores the running server). */
  async function serve() {
    const started = await startCli(
      ['serve', '--data-dir', dataDir, '--port', '0'],
      /everything: (http:\/\/\S+)/,
      {
        env,
      },
    );
    cli = started;
    uiUrl = /Patchbay UI: (\S+)/.exec(started.output())![1]!;
    mcpUrl = started.match[1]!;
  }

  const pickTool = (name: string) => page.getByRole('button', { name: new RegExp(`^${name}\\b`) }).click();
  const result = () => page.getByRole('region', { name: 'Result' });

  it('lists tools with descriptions, and resources and prompts', async () => {
    await expect.poll(() => page.getByRole('button', { name: /^get-sum\b/ }).count()).toBe(1);
    await expect.poll(() => page.getByText('Resources (', { exact: false }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /^echo Echoes back/ }).count()).toBe(1);
  });

  it('echo and add: a form from each input schema, called, the result shown', async () => {
    await pickTool('echo');
    const message = page.getByRole('textbox', { name: 'message', exact: true });
    await message.fill('hello from the window');
    await page.getByRole('button', { name: 'Call echo' }).click();
    await expect.poll(() => result().textContent()).toContain('Echo: hello from the window');

    await pickTool('get-sum');
    // Required numbers: Call waits for both.
    expect(await page.getByRole('button', { name: 'Call get-sum' }).isDisabled()).toBe(true);
    await page.getByRole('textbox', { name: 'a', exact: true }).fill('2.5');
    await page.getByRole('textbox', { name: 'b', exact: true }).fill('3');
    await page.getByRole('button', { name: 'Call get-sum' }).click();
    await expect.poll(() => result().textContent()).toContain('The sum of 2.5 and 3 is 5.5.');
  });

  it('shows an image result as a picture', async () => {
    await pickTool('get-tiny-image');
    await page.getByRole('button', { name: 'Call get-tiny-image' }).click();
    const img = result().getByRole('img', { name: /Image \d+ \(image\/png\)/ });
    await img.waitFor();
    await expect.poll(() => img.evaluate((e: { naturalWidth: number }) => e.naturalWidth)).toBeGreaterThan(0);
    expect(await result().textContent()).toContain('The image above is the MCP logo.');
  });

  it('shows progress of a long-running tool, and Cancel stops it', async () => {
    await pickTool('trigger-long-running-operation');
    // Defaults come from the schema (10 s, 5 steps); make it long enough to cancel mid-way.
    await page.getByRole('textbox', { name: 'duration', exact: true }).fill('60');
    await page.getByRole('textbox', { name: 'steps', exact: true }).fill('60');
    await page.getByRole('button', { name: 'Call trigger-long-running-operation' }).click();
    const status = page.getByRole('status', { name: 'Call in progress' });
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/\d+ of 60/);
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect.poll(() => result().textContent()).toContain('Cancelled.');
    expect(await status.count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Call trigger-long-running-operation' }).isEnabled()).toBe(
      true,
    );
  });

  it('answers an elicitation in the window', async () => {
    await pickTool('trigger-elicitation-request');
    await page.getByRole('button', { name: 'Call trigger-elicitation-request' }).click();
    const question = page.getByRole('group', { name: 'The server asks for input' });
    await question.waitFor({ timeout: 15_000 });
    await question.getByRole('textbox', { name: 'name', exact: true }).fill('Ada Lovelace');
    await question.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => result().textContent()).toContain('- Name: Ada Lovelace');
    expect(await question.count()).toBe(0);
  });

  it('answers a sampling request in the window with a typed reply', async () => {
    await pickTool('trigger-sampling-request');
    await page.getByRole('textbox', { name: 'prompt', exact: true }).fill('Say something kind');
    await page.getByRole('button', { name: 'Call trigger-sampling-request' }).click();
    const question = page.getByRole('group', { name: 'The server asks for a model reply' });
    await question.waitFor({ timeout: 15_000 });
    expect(await question.textContent()).toContain('Say something kind');
    await question.getByRole('textbox', { name: 'Your reply' }).fill('You are doing great');
    await question.getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(() => result().textContent()).toContain('You are doing great');
  });

  it('raw JSON: the arguments can be typed as JSON', async () => {
    await pickTool('echo');
    await page.getByRole('checkbox', { name: 'Edit as JSON' }).check();
    await page.getByRole('textbox', { name: 'Arguments as JSON' }).fill('{"message": "typed as JSON"}');
    await page.getByRole('button', { name: 'Call echo' }).click();
    await expect.poll(() => result().textContent()).toContain('Echo: typed as JSON');
    expect(problems).toEqual([]);
  });

  it('a saved call keeps its last result and runs again with one click after a restart', async () => {
    await pickTool('echo');
    // Back from raw JSON (the test before) to the form: what was typed there is kept.
    await page.getByRole('checkbox', { name: 'Edit as JSON' }).uncheck();
    const message = page.getByRole('textbox', { name: 'message', exact: true });
    expect(await message.inputValue()).toBe('typed as JSON');
    await message.fill('kept across restarts');
    await page.getByRole('textbox', { name: 'Name for this call' }).fill('my echo');
    await page.getByRole('button', { name: 'Save call' }).click();
    const savedList = page.getByRole('list', { name: /Saved calls/ });
    await savedList.getByText('my echo').waitFor();
    await page.getByRole('button', { name: 'Run my echo' }).click();
    await expect.poll(() => result().textContent()).toContain('Echo: kept across restarts');
    await expect.poll(() => savedList.textContent()).toContain('last run ok');

    expect(problems).toEqual([]);
    await cli.stop();
    await serve();
    await page.goto(uiUrl);
    problems.splice(0); // the old page's failed reconnects while serve was down
    await page.getByRole('tab', { name: 'Tools' }).click();
    await savedList.getByText('my echo').waitFor({ timeout: 20_000 });
    expect(await savedList.textContent()).toContain('last run ok');
    // Opening it shows the last result, kept in SQLite.
    await savedList.getByRole('button', { name: /^my echo/ }).click();
    await expect.poll(() => result().textContent()).toContain('Echo: kept across restarts');
    const lastCall = await result().getAttribute('data-call-id');
    expect(lastCall).toBeTruthy();
    // One click runs it again: a new call's result replaces the kept one.
    await page.getByRole('button', { name: 'Run my echo' }).click();
    await expect.poll(() => result().getAttribute('data-call-id')).not.toBe(lastCall);
    expect(await result().textContent()).toContain('Echo: kept across restarts');
    expect(problems).toEqual([]);
  });

  it('Open in Tools: a client’s captured tools/call is edited and sent again from the window', async () => {
    const client = new Client({ name: 'e2e-client', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
    try {
      await client.callTool({ name: 'echo', arguments: { message: 'from a real client' } });
    } finally {
      await client.close();
    }
    await page.getByRole('tab', { name: 'Inspector' }).click();
    await page.getByLabel('Filter frames').fill('method:tools/call');
    const row = page
      .locator('[data-seq]')
      .filter({ has: page.locator('.tag-kind', { hasText: 'req' }) })
      .filter({ hasText: 'tools/call' })
      .first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await page
      .getByRole('region', { name: 'Frame details' })
      .getByRole('button', { name: 'Open in Tools' })
      .click();
    await expect
      .poll(() => page.getByRole('tab', { name: 'Tools' }).getAttribute('aria-selected'))
      .toBe('true');
    const message = page.getByRole('textbox', { name: 'message', exact: true });
    await expect.poll(() => message.inputValue()).toBe('from a real client');
    await message.fill('edited and sent again');
    await page.getByRole('button', { name: 'Call echo' }).click();
    await expect.poll(() => result().textContent()).toContain('Echo: edited and sent again');
  });

  it('a stopped server says to start it', async () => {
    await page.getByRole('tab', { name: 'Tools' }).click();
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByText('Start the server to use its tools.').waitFor({ timeout: 20_000 });
  });
});
