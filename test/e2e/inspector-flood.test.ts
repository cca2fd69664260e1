// The inspector under a flood, for correctness only: every frame is accounted for (held,
// dropped by the cap or skipped by the engine, never silently lost), memory stays bounded,
// pause/resume and filtering keep working, the page throws nothing. How fast and how smooth
// (10,000 frames/s, long tasks) is measured by `npm run bench:inspector`, not asserted here:
// a busy 2-core machine must not fail this test.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import type { RunningCli } from '../support/cli-process';
import { flood, openSession } from '../support/flood-client';
import { serveWithServer } from '../support/serve-with-server';
import { maskKey } from '../../src/shared/connect';

const RATE = 2_000;
const SECONDS = 5;
const TOTAL = RATE * SECONDS;
/** Far above what the held frames of this flood take, far below a second copy per frame of a larger one. */
const HEAP_LIMIT_MB = 120;

const numberIn = (text: string | null) => Number((/[\d,]+/.exec(text ?? '')?.[0] ?? '0').replace(/,/g, ''));

describe('the inspector under a flood (patchbay serve)', () => {
  let cli: RunningCli;
  let uiUrl: string;
  let mcpUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ cli, uiUrl, mcpUrl } = await serveWithServer('flooded'));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await cli?.stop();
  });

  it('accounts for every frame while paused, resumed and filtered, with memory bounded', async () => {
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(uiUrl);
    await page.getByTestId('server-url').getByText(maskKey(mcpUrl)).waitFor();
    const count = async (id: string) =>
      (await page.getByTestId(id).count()) ? numberIn(await page.getByTestId(id).textContent()) : 0;
    const held = async () => Number(await page.getByTestId('frame-count').getAttribute('data-held'));

    const session = await openSession(mcpUrl);
    const flooding = flood(mcpUrl, session, { rate: RATE, seconds: SECONDS });
    const grid = page.getByRole('grid', { name: 'Frames' });
    await expect.poll(held, { timeout: 30_000 }).toBeGreaterThan(100);
    await grid.focus();
    await page.keyboard.press(' '); // pause: new frames are counted, rows stay put
    await expect.poll(() => count('paused-count'), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.keyboard.press(' '); // resume at the live tail
    await expect.poll(() => page.getByTestId('paused-count').count(), { timeout: 30_000 }).toBe(0);
    const filterBox = page.getByLabel('Filter frames');
    await filterBox.fill('pppp leg:out');
    await filterBox.fill('');
    const sent = await flooding;
    expect(sent.events).toBeGreaterThanOrEqual(TOTAL);

    // Each notification crossed two legs (← stdout, ⇠ SSE): all of them reach the page's count.
    const accounted = async () =>
      (await held()) + (await count('frames-dropped')) + (await count('frames-skipped'));
    await expect.poll(accounted, { timeout: 60_000 }).toBeGreaterThanOrEqual(TOTAL * 2);
    expect(await held()).toBeLessThanOrEqual(100_000);

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heapMb = (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1024 / 1024;
    expect(heapMb).toBeLessThan(HEAP_LIMIT_MB);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
