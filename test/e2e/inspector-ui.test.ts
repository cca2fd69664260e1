import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import type { RunningCli } from '../support/cli-process';
import { serveWithServer } from '../support/serve-with-server';
import { maskKey } from '../../src/shared/connect';

/** The cells of the rows in the DOM, in order (a string: this tsconfig has no DOM types). */
const ROWS = `Array.from(document.querySelectorAll('[role=grid][aria-label=Frames] [data-seq]'))
  .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
  .map((r) => Array.from(r.children, (c) => c.textContent))`;
type Cells = [string, string, string, string, string, string, string, string, string];

describe('the inspector in the browser (patchbay serve)', () => {
  let cli: RunningCli;
  let uiUrl: string;
  let mcpUrl: string;
  let browser: Browser;
  let page: Page;
  let client: Client;
  const problems: string[] = [];

  beforeAll(async () => {
    ({ cli, uiUrl, mcpUrl } = await serveWithServer('inspected'));
    browser = await launchChromium();
    page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    await page
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(uiUrl).origin });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(uiUrl);
    await page.getByTestId('server-url').getByText(maskKey(mcpUrl)).waitFor();
    client = new Client({ name: 'inspector-e2e', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
  });
  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await cli?.stop();
  });

  const rows = () => page.evaluate<Cells[]>(ROWS);
  const filter = async (text: string) => {
    await page.evaluate('document.activeElement?.blur()');
    await page.keyboard.press('/'); // the shortcut focuses the filter
    expect(await page.evaluate("document.activeElement?.getAttribute('aria-label')")).toBe('Filter frames');
    await page.getByLabel('Filter frames').fill(text);
  };
  const details = () => page.getByRole('region', { name: 'Frame details' });
  const raw = () => details().getByRole('region', { name: 'Raw' }).textContent();

  it("hides Patchbay's own start-up probe by default and shows it, muted and tagged, with the toggle", async () => {
    const toggle = page.getByLabel("Show Patchbay's own traffic");
    expect(await toggle.isChecked()).toBe(false);
    // The request rows (its answer shows the method too, dimmed, and a probe note names it).
    const discoverRows = async () =>
      (await rows()).filter((c) => c[4] === 'req' && c[5]?.includes('server/discover'));
    const counts = async () => {
      const el = page.getByTestId('frame-count');
      return {
        held: Number(await el.getAttribute('data-held')),
        shown: await page.locator('[data-seq]').count(),
      };
    };
    // The client's own initialize shows; the probe's four frames (discover, its -32601, the
    // probe's initialize and its answer) are held but not listed.
    await expect
      .poll(async () => (await rows()).some((c) => c[2] === '⇢' && c[5] === 'initialize'))
      .toBe(true);
    await expect
      .poll(async () => {
        const c = await counts();
        return c.held - c.shown;
      })
      .toBeGreaterThanOrEqual(4);
    expect(await discoverRows()).toEqual([]);

    await toggle.check();
    await expect.poll(async () => (await discoverRows()).length).toBe(1);
    const [discover] = await discoverRows();
    expect(discover!.slice(2, 6)).toEqual(['→', 'stdio', 'req', 'Patchbayserver/discover']);
    // Its Method not found answer: Patchbay's, tagged, and not painted as an error.
    const answer = page
      // The id column shows the id's tail; the whole id is on hover.
      .locator('[data-seq].by-patchbay', { has: page.locator('.id[title=\'id "patchbay-discover"\']') })
      .filter({ has: page.locator('.tag-kind', { hasText: 'err' }) });
    await expect.poll(() => answer.count()).toBe(1);
    expect(await answer.locator('.own-tag').textContent()).toBe('Patchbay');
    expect(await answer.getAttribute('class')).not.toContain('kind-error');
    const seq = await answer.getAttribute('data-seq');
    // A string: this tsconfig has no DOM types.
    const colours = await page.evaluate<{ row: string; kind: string; danger: string }>(`(() => {
      const row = document.querySelector('[data-seq="${seq}"]');
      const probe = document.createElement('span');
      probe.style.color = 'var(--danger)';
      document.body.append(probe);
      const danger = getComputedStyle(probe).color;
      probe.remove();
      return { row: getComputedStyle(row).color, kind: getComputedStyle(row.children[4]).color, danger };
    })()`);
    expect(colours.row).not.toBe(colours.danger);
    expect(colours.kind).not.toBe(colours.danger);
    // by:patchbay lists only Patchbay's own frames.
    await filter('by:patchbay -kind:note');
    await expect
      .poll(async () => (await rows()).map((c) => c.slice(2, 5).join(' ')))
      .toEqual(['→ stdio req', '← stdio err', '→ stdio req', '← stdio res']);

    await filter('');
    await toggle.uncheck();
    await expect.poll(async () => (await discoverRows()).length).toBe(0);
    expect(problems).toEqual([]);
  });

  it('shows the four legs of a tools/call, filters them, and opens request and response', async () => {
    const result = await client.callTool({ name: 'echo', arguments: { text: 'hello inspector' } });
    expect(JSON.stringify(result)).toContain('hello inspector');

    await filter('method:tools/call');
    // The requests carry the method; the responses are paired to them by id and show it dimmed.
    await expect
      .poll(async () => (await rows()).map((c) => c.slice(2, 6).join(' ')))
      .toEqual([
        '⇢ http req tools/call',
        '→ stdio req tools/call',
        '← stdio res tools/call',
        '⇠ http res tools/call',
      ]);
    // The HTTP side's arrows and the stdio side's look apart and are named apart.
    const legs = page.locator('[role=grid][aria-label=Frames] [data-seq] .leg');
    const labels = await legs.evaluateAll((els: { getAttribute(n: string): string | null }[]) =>
      els.map((e) => e.getAttribute('aria-label')),
    );
    expect(new Set(labels).size).toBe(4);
    const looks = await legs.evaluateAll((els: unknown[]) =>
      els.map((e) => {
        const st = (
          globalThis as unknown as { getComputedStyle(x: unknown): { color: string; fontWeight: string } }
        ).getComputedStyle(e);
        return `${st.color}/${st.fontWeight}`;
      }),
    );
    expect(looks[0]).toBe(looks[3]);
    expect(looks[0]).not.toBe(looks[1]);
    const id = (await rows())[0]![6].replace('#', '');

    await filter(`id:${id}`);
    await expect
      .poll(async () => (await rows()).map((c) => c.slice(2, 5).join(' ')))
      // Nothing streamed before the answer, so it left as one JSON body (issue 14, item 4).
      .toEqual(['⇢ http req', '→ stdio req', '← stdio res', '⇠ http res']);
    const [, , stdout, sse] = await rows();
    expect(stdout![8]).toMatch(/^\d+ ms$/); // latency on the answers
    expect(sse![8]).toMatch(/^\d+ ms$/);

    // Open the request; its response is one click away, with its latency.
    await page.locator('[data-seq]').first().click();
    await expect.poll(raw).toContain('"method":"tools/call"');
    const toResponse = details().getByRole('button', { name: 'Go to response' });
    expect(await toResponse.textContent()).toMatch(new RegExp(`⇠ response #${id} · \\d+ ms`));
    const timeline = details().getByRole('list', { name: 'Timeline of this request' });
    expect(await timeline.getByRole('button').allTextContents()).toEqual([
      expect.stringContaining('⇢ client→proxy'),
      expect.stringContaining('→ proxy→server'),
      expect.stringContaining('← server→proxy'),
      expect.stringContaining('⇠ proxy→client'),
    ]);
    // Copy as curl replays the request: run what was copied, get the same answer.
    await details().getByRole('button', { name: 'Copy as curl' }).click();
    const curl = await page.evaluate<string>('navigator.clipboard.readText()');
    // The server's key stays off the clipboard: the command reads it from $PATCHBAY_TOKEN.
    const key = new URL(mcpUrl).searchParams.get('key');
    const bare = mcpUrl.replace(/\?key=.*$/, '');
    expect(curl).toContain(`curl -sN -X POST '${bare}'`);
    if (key) {
      expect(curl).not.toContain(key);
      expect(curl).toContain('-H "Authorization: Bearer $PATCHBAY_TOKEN"');
    }
    expect(curl).toMatch(/-H 'Mcp-Session-Id: [^']+'/);
    expect(curl).toMatch(/-H 'MCP-Protocol-Version: \d{4}-\d{2}-\d{2}'/);
    const replayed = await promisify(execFile)('sh', ['-c', curl], {
      timeout: 10_000,
      env: { ...process.env, PATCHBAY_TOKEN: key ?? '' },
    });
    expect(replayed.stdout).toMatch(new RegExp(`"id":${id},"result":.*hello inspector`));

    await toResponse.click();
    // The body as it was on the wire, untouched.
    await expect.poll(raw).toMatch(/^Raw\{"jsonrpc":"2\.0","id":\d+,"result":.*hello inspector"\}\]\}\}$/);
    // The JSON tree starts open down to the text of the result.
    const json = details().getByRole('region', { name: 'JSON' });
    expect(await json.textContent()).toContain('result');
    await expect.poll(() => json.getByText('"hello inspector"').isVisible()).toBe(true);
    const opened = await json
      .locator('details')
      .evaluateAll((els: { open: boolean }[]) => els.slice(0, 3).map((e) => e.open));
    expect(opened).toEqual([true, true, true]);
    await details().getByRole('button', { name: 'Go to request' }).click();
    await expect.poll(raw).toContain('"method":"tools/call"');

    // Keyboard: ↓ moves the selection, Esc closes, Enter opens.
    const grid = page.getByRole('grid', { name: 'Frames' });
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await expect
      .poll(() => page.locator('[data-seq][aria-selected=true]').getAttribute('aria-rowindex'))
      .toBe('3');
    await page.keyboard.press('Escape');
    await expect.poll(() => details().count()).toBe(0);
    await page.keyboard.press('Enter');
    await expect.poll(raw).toContain('"method":"tools/call"'); // → stdio request
    await page.keyboard.press('Escape');
    expect(problems).toEqual([]);
  });

  it('pauses with space while traffic goes on, counts what arrives, and resumes at the live tail', async () => {
    await filter('');
    let stop = false;
    const traffic = (async () => {
      for (let i = 0; !stop; i++) {
        await client.callTool({ name: 'echo', arguments: { text: `tick ${i}` } });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      const grid = page.getByRole('grid', { name: 'Frames' });
      const rowCount = async () => Number(await grid.getAttribute('aria-rowcount')) - 1;
      const atStart = await rowCount();
      await expect.poll(rowCount).toBeGreaterThan(atStart + 8);

      await grid.focus();
      await page.keyboard.press(' ');
      const paused = page.getByTestId('paused-count');
      await expect.poll(() => paused.textContent()).toMatch(/^\s*[\d,]+ new$/);
      const stillCount = await rowCount();
      await expect
        .poll(async () =>
          Number(/(\d[\d,]*) new/.exec((await paused.textContent()) ?? '')?.[1]?.replace(/,/g, '')),
        )
        .toBeGreaterThan(20);
      expect(await rowCount()).toBe(stillCount); // the view stood still
      expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(1);

      await page.keyboard.press(' ');
      await expect.poll(() => paused.count()).toBe(0);
      expect(await rowCount()).toBeGreaterThan(stillCount + 20);
      // Live again: the newest frame is on screen.
      await expect
        .poll(async () => {
          const all = await rows();
          const total = await rowCount();
          const last = await page.evaluate<string | null>(
            `document.querySelector('[role=grid] [data-seq][aria-rowindex="${total + 1}"]')?.getAttribute('data-seq') ?? null`,
          );
          return all.length > 0 && last !== null;
        })
        .toBe(true);
    } finally {
      stop = true;
      await traffic;
    }
    expect(problems).toEqual([]);
  });

  it("marks a crash and the session's revival as Patchbay notes, and hides the replayed initialize", async () => {
    await expect(client.callTool({ name: 'crash', arguments: {} })).rejects.toThrow();
    const again = await client.callTool({ name: 'echo', arguments: { text: 'after revival' } });
    expect(JSON.stringify(again)).toContain('after revival');
    // Hidden by default: the notes and the replayed initialize are Patchbay's.
    await filter('kind:note');
    await expect
      .poll(async () =>
        (await rows())
          .map((c) => c[5]?.replace(/ on process \d+| \d+ exited.*$/g, ''))
          // Lifecycle notes (spawn, exit, ready) sit among them; this is about the session's.
          .filter((t) => t?.startsWith('PatchbayProcess') || t?.startsWith('PatchbaySession')),
      )
      .toEqual(['PatchbayProcess', 'PatchbaySession revived (revival 1)']);
    await filter('kind:request method:initialize');
    await expect
      .poll(async () => (await rows()).map((c) => c.slice(2, 4).join(' ')))
      .toEqual(['⇢ http', '→ stdio']);
    const toggle = page.getByLabel("Show Patchbay's own traffic");
    await toggle.check();
    await expect
      .poll(async () =>
        (await rows()).map((c) => c.slice(2, 4).join(' ') + (c[5]?.startsWith('Patchbay') ? ' own' : '')),
      )
      // The probe's initialize, the client's (both legs), the revival's replay of it.
      .toEqual(['→ stdio own', '⇢ http', '→ stdio', '→ stdio own']);
    await toggle.uncheck();
    await filter('');
    expect(problems).toEqual([]);
  });

  it('exports the frames it shows as NDJSON, then clears them', async () => {
    await filter('method:tools/call');
    // The filter applies when typing pauses: wait until the list shows only what it asked for.
    await expect
      .poll(async () => {
        const r = await rows();
        return r.length > 4 && r.every((c) => c[5] === 'tools/call');
      })
      .toBe(true);
    const shown = Number(
      ((await page.getByTestId('frame-count').textContent()) ?? '').split(' ')[0]!.replace(/,/g, ''),
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export NDJSON' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^patchbay-inspected-.*\.ndjson$/);
    const lines = readFileSync(await download.path(), 'utf8')
      .split('\n')
      .filter(Boolean);
    const frames = lines.map((l) => JSON.parse(l) as { seq: number; method?: string; raw: string });
    expect(frames.length).toBe(shown);
    // The calls and their answers (which carry no method of their own).
    expect(frames.every((f) => (f.method ?? 'tools/call') === 'tools/call')).toBe(true);
    expect(frames.some((f) => f.method === 'tools/call' && f.raw.includes('tools/call'))).toBe(true);
    expect(frames.some((f) => f.method === undefined && f.raw.includes('"result"'))).toBe(true);
    expect(frames.map((f) => f.seq)).toEqual([...frames.map((f) => f.seq)].sort((a, b) => a - b));

    await filter('');
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.getByText('No traffic yet').count()).toBe(1);
    // The engine forgot them too: a reload shows nothing old, and new traffic shows again.
    await page.reload();
    await expect.poll(() => page.getByText('No traffic yet').count()).toBe(1);
    await client.callTool({ name: 'echo', arguments: { text: 'after clear' } });
    await expect.poll(async () => (await rows()).length).toBeGreaterThanOrEqual(4);
    const seqs = await page.evaluate<number[]>(
      "Array.from(document.querySelectorAll('[data-seq]'), (r) => Number(r.getAttribute('data-seq')))",
    );
    expect(Math.min(...seqs)).toBeGreaterThan(frames[frames.length - 1]!.seq);
    expect(problems).toEqual([]);
  });
});
