// Lifecycle in the window (issue 18, items 6): a kill -9 of a shared process shows in Logs as
// Patchbay's own lines (exit by signal, restart with its delay) and as inspector notes, the
// session stays with a revival; a server that cannot stay up reads "crashing", never green.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerManager } from '../../src/main/core/manager/server-manager';
import { launchChromium } from '../support/chromium';
import { type RunningCli, startCli, tempDataDir } from '../support/cli-process';
import { FIXTURE } from '../support/engine-client';
import { maskKey } from '../../src/shared/connect';

const eventually = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000 });

describe('lifecycle in Logs, the inspector and the sidebar (patchbay serve)', () => {
  let cli: RunningCli;
  let uiUrl: string;
  let mcpUrl: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const dataDir = tempDataDir();
    const m = ServerManager.open({ dataDir });
    const shared = await m.create({
      name: 'sharedfx',
      command: process.execPath,
      args: [FIXTURE],
      mode: 'shared',
    });
    await m.start(shared.id);
    // Crashes 400 ms after each start: it cannot stay up.
    const flaky = await m.create({
      name: 'flaky',
      command: process.execPath,
      args: [FIXTURE, '--crash-after-ms=400'],
      mode: 'shared',
      restart: { enabled: true, initialDelayMs: 200, maxDelayMs: 400 },
    });
    await m.start(flaky.id);
    await m.shutdown();
    const started = await startCli(
      ['serve', '--data-dir', dataDir, '--port', '0'],
      /sharedfx: (http:\/\/\S+)/,
    );
    cli = started;
    uiUrl = /Patchbay UI: (\S+)/.exec(cli.output())![1]!;
    mcpUrl = started.match[1]!;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(uiUrl);
    await page.getByRole('option', { name: /^sharedfx\b/ }).click();
    await page
      .getByTestId('server-url')
      .filter({ hasText: maskKey(mcpUrl) })
      .waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await cli?.stop();
  });

  const ownLines = () =>
    page.evaluate<string[]>(
      "Array.from(document.querySelectorAll('.log-line.by-patchbay .log-text'), (e) => e.textContent)",
    );

  it('shared kill -9: Logs shows the exit by signal and the restart; Sessions keeps the session, revived', async () => {
    const client = new Client({ name: 'lifecycle-e2e', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
    try {
      const answer = (await client.callTool({ name: 'pid', arguments: {} })) as {
        content: { text: string }[];
      };
      const pid = Number(answer.content[0]!.text);
      await page.getByRole('tab', { name: 'Logs' }).click();
      await eventually(ownLines).toContain(`Spawned pid ${pid} (shared process)`);
      process.kill(pid, 'SIGKILL');
      await eventually(async () =>
        (await ownLines()).some((t) => t.startsWith(`pid ${pid}: MCP server was killed by SIGKILL`)),
      ).toBe(true);
      await eventually(async () =>
        (await ownLines()).some((t) => /^Restarting in [\d.]+ m?s \(crash 1 in a row\)$/.test(t)),
      ).toBe(true);
      // Patchbay's lines look apart from the server's stderr.
      const style = await page
        .locator('.log-line.by-patchbay .log-text')
        .first()
        .evaluate(
          (el: unknown) =>
            (
              globalThis as unknown as { getComputedStyle(e: unknown): { fontStyle: string } }
            ).getComputedStyle(el).fontStyle,
        );
      expect(style).toBe('italic');

      // The session goes on on the new process, and Sessions counts the revival.
      const again = await client.callTool({ name: 'echo', arguments: { text: 'after kill' } });
      expect(JSON.stringify(again)).toContain('after kill');
      await page.getByRole('tab', { name: 'Sessions' }).click();
      const row = page.getByRole('row', { name: /lifecycle-e2e 1/ });
      await eventually(() => row.count()).toBe(1);
      await eventually(() => row.locator('td.revivals').textContent()).toBe('1');

      // The inspector shows the same events as Patchbay notes.
      await page.getByRole('tab', { name: 'Inspector' }).click();
      await page.getByLabel('Filter frames').fill('kind:note SIGKILL');
      await eventually(() =>
        page.locator('[role=grid][aria-label=Frames] [data-seq]').count(),
      ).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('a server that cannot stay up reads crashing in the sidebar and header, and never green', async () => {
    const row = page.getByRole('option', { name: /^flaky\b/ });
    await row.click();
    await eventually(() => page.getByTestId('server-state').textContent()).toMatch(/^crashing · /);
    // Watch the dot through several restarts: it never turns green.
    const seen = new Set<string>();
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      seen.add((await row.locator('.dot').getAttribute('class')) ?? '');
      seen.add((await page.getByTestId('server-state').textContent())?.split(' · ')[0] ?? '');
      await page.waitForTimeout(50);
    }
    expect([...seen].filter((c) => c.includes('running'))).toEqual([]);
    expect(seen.has('dot dot-crashing')).toBe(true);
    expect(await row.locator('.crashed-tag').textContent()).toBe('crashing');
  });

  it('logged no page errors', () => {
    expect(problems).toEqual([]);
  });
});
