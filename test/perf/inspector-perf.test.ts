// A benchmark, not part of `npm test`: `npm run bench:inspector` (after a build) floods the
// inspector at 10,000 frames/s and holds it to the long-task rule. Wall-clock rules like these
// belong on a quiet machine; test/e2e/inspector-flood.test.ts checks the same path for
// correctness under any load.
import { cpus, loadavg } from 'node:os';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import type { RunningCli } from '../support/cli-process';
import { flood, openSession } from '../support/flood-client';
import { serveWithServer } from '../support/serve-with-server';

/** 5,000 notifications/s, each crossing two legs (← stdout, ⇠ SSE): 10,000 frames/s. */
const NOTIFICATIONS_PER_S = 5_000;
const SECONDS = 10;
/** The issue's rule: no task over 100 ms after the first second. */
const LONG_TASK_MS = 100;
/** About three times what 100,000 held frames of this flood measure (≈ 40 MB): a leak or a second copy fails. */
const HEAP_LIMIT_MB = 120;

async function heapUsedMb(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1024 / 1024;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time: what the page itself spent, whatever else the machine was doing. */
  tdur?: number;
  args?: { name?: string };
}

/** Records the browser's top-level tasks (wall and thread time) while `during` runs. */
async function traceTasks(cdp: CDPSession, during: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e: { value: object[] }) => events.push(...(e.value as TraceEvent[])));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: 'toplevel', transferMode: 'ReportEvents' });
  try {
    await during();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
  }
  const main = events.find(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
  );
  return events.filter(
    (e) =>
      main &&
      e.pid === main.pid &&
      e.tid === main.tid &&
      e.ph === 'X' &&
      e.name === 'ThreadControllerImpl::RunTask',
  );
}

const numberIn = (text: string | null) => Number((/[\d,]+/.exec(text ?? '')?.[0] ?? '0').replace(/,/g, ''));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

  it(`stays responsive with ${NOTIFICATIONS_PER_S * 2} frames/s for ${SECONDS} s, memory bounded`, async () => {
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(uiUrl);
    await page.getByTestId('server-url').getByText(mcpUrl).waitFor();
    const note = async (id: string) =>
      (await page.getByTestId(id).count()) ? numberIn(await page.getByTestId(id).textContent()) : 0;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const heapBefore = await heapUsedMb(cdp);

    const session = await openSession(mcpUrl);
    await page.evaluate(`(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask' });
      window.__floodStart = performance.now();
    })()`);
    const started = Date.now();
    let sent = { events: 0, bytes: 0 };
    let floodMs = 0;
    let pausedNew = 0;
    const tasks = await traceTasks(cdp, async () => {
      const flooding = flood(mcpUrl, session, { rate: NOTIFICATIONS_PER_S, seconds: SECONDS }).then((r) => {
        floodMs = Date.now() - started;
        return r;
      });
      // Use it while it floods: scroll up, pause and resume, then filter the ~70,000 frames held
      // (free text first: a scan of every raw frame) and clear the filter again.
      const grid = page.getByRole('grid', { name: 'Frames' });
      const filterBox = page.getByLabel('Filter frames');
      await sleep(2_000);
      await grid.hover();
      await page.mouse.wheel(0, -2_000); // stops following the tail
      await sleep(1_000);
      await grid.focus();
      await page.keyboard.press(' '); // pause
      await sleep(1_000);
      pausedNew = await note('paused-count');
      await page.keyboard.press(' '); // resume at the live tail
      await sleep(3_000);
      await filterBox.fill('pppp leg:out');
      await sleep(1_500);
      await filterBox.fill('');
      sent = await flooding;
    });
    const load = loadavg()[0]!;

    // Until the last batch is in: the count stops moving.
    let last = -1;
    for (let count = 0; count !== last; await sleep(300)) {
      last = count;
      count = numberIn(await page.getByTestId('frame-count').textContent());
    }
    const held = Number(await page.getByTestId('frame-count').getAttribute('data-held'));
    const dropped = await note('frames-dropped');
    const skipped = await note('frames-skipped');
    const heapAfter = await heapUsedMb(cdp);
    const { longTasks, floodStart } = await page.evaluate<{
      longTasks: { start: number; duration: number }[];
      floodStart: number;
    }>('({ longTasks: window.__longTasks, floodStart: window.__floodStart })');
    const late = longTasks.filter((t) => t.start > floodStart + 1_000);
    const longest = Math.max(0, ...late.map((t) => t.duration));
    const traceStart = Math.min(...tasks.map((t) => t.ts));
    const lateTasks = tasks.filter((t) => t.ts > traceStart + 1_000_000);
    const ms = (us: number | undefined) => Math.round((us ?? 0) / 1000);
    const mostCpu = Math.max(0, ...lateTasks.map((t) => ms(t.tdur)));
    const slowest = [...lateTasks].sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0)).slice(0, 5);
    const busyMs = lateTasks.reduce((sum, t) => sum + ms(t.tdur), 0);

    console.log(
      [
        `inspector flood: ${sent.events} notifications in ${floodMs} ms (${Math.round((sent.events * 2) / (floodMs / 1000))} frames/s on the two legs)`,
        `  page: ${held} frames held, ${dropped} dropped by the cap, ${skipped} skipped by the engine (UI behind), ${pausedNew} counted while paused`,
        `  long tasks (PerformanceObserver) after the first second: ${late.length}, longest ${Math.round(longest)} ms` +
          ` — all: ${longTasks.map((t) => `${Math.round(t.duration)} ms @${((t.start - floodStart) / 1000).toFixed(1)} s`).join(', ') || 'none'}`,
        `  renderer main thread: ${lateTasks.length} tasks, ${busyMs} ms of thread time in ${Math.round(floodMs / 1000) - 1} s,` +
          ` most in one task ${mostCpu} ms; slowest wall/thread ms: ${slowest.map((t) => `${ms(t.dur)}/${ms(t.tdur)}`).join(' ')}`,
        `  machine: ${cpus().length} cores, load average ${load.toFixed(1)}`,
        `  JS heap after GC: ${heapBefore.toFixed(1)} MB before, ${heapAfter.toFixed(1)} MB after`,
      ].join('\n'),
    );

    expect(sent.events).toBeGreaterThan(NOTIFICATIONS_PER_S * SECONDS * 0.98);
    expect(held + dropped + skipped).toBeGreaterThan(NOTIFICATIONS_PER_S * SECONDS * 2 * 0.98);
    expect(held).toBeLessThanOrEqual(100_000);
    expect(pausedNew).toBeGreaterThan(1_000);
    // What the page itself does in one go (thread time) stays well under the rule whatever the load…
    expect(mostCpu).toBeLessThanOrEqual(LONG_TASK_MS / 2);
    // …and the issue's rule, in wall time. On a shared 2-core box other processes can stretch a
    // 10 ms task past it (see the wall/thread pairs above): the message says so.
    expect(
      longest,
      `a ${Math.round(longest)} ms long task; the page's busiest task used ${mostCpu} ms of thread time (load ${load.toFixed(1)} on ${cpus().length} cores)`,
    ).toBeLessThanOrEqual(LONG_TASK_MS);
    expect(heapAfter).toBeLessThan(HEAP_LIMIT_MB);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
