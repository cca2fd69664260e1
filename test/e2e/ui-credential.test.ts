import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import { type RunningCli, startCli, tempDataDir } from '../support/cli-process';
import { FIXTURE } from '../support/engine-client';
import { descendants, processesMatching } from '../support/proc-stats';
import { until } from '../support/processes';
import { serveWithServer } from '../support/serve-with-server';
import { WsApiClient } from '../support/ws-api-client';

// Issue 16: what a web page can make the user's browser do to Patchbay. The attacks run in
// a real Chromium, from a listener on another local port (another local user's, or any
// dev server that logs requests).

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

/** Another local listener: records every request and its headers; serves `pages`. */
async function listener(
  pages: Record<string, string> = {},
): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const page = pages[req.url ?? ''];
    if (page !== undefined) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('nothing here\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

let browser: Browser;
const servers: Server[] = [];
const clis: RunningCli[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  for (const s of servers) s.close();
  for (const c of clis) await c.stop();
});

describe("the UI's credential", () => {
  it('never reaches another local port: not as a cookie, a query, a Referer or a header', async () => {
    const served = await serveWithServer('credential');
    clis.push(served.cli);
    const token = WsApiClient.tokenOf(served.uiUrl);
    const other = await listener({ '/nav': '<!doctype html><title>elsewhere</title><img src="/img">' });
    servers.push(other.server);
    const otherUrl = `http://127.0.0.1:${other.port}`;

    const page = await browser.newPage();
    await page.goto(served.uiUrl);
    // The list came over the WebSocket: the page authenticated with the fragment's token.
    await page.getByText('credential', { exact: true }).first().waitFor();
    expect(page.url()).not.toContain(token); // dropped from the address bar
    expect(await page.evaluate("sessionStorage.getItem('patchbay.launchToken')")).toBe(token);

    // The UI's CSP lets it load nothing from elsewhere; a navigation is what reaches the
    // other port, and the page there then loads an image and a credentialed fetch.
    await page.evaluate(`setTimeout(() => (location.href = '${otherUrl}/nav'), 0)`);
    await page.waitForURL(`${otherUrl}/nav`);
    await page.evaluate("fetch('/fetch', { credentials: 'include' }).then(() => undefined)");
    await until(() => other.seen.some((s) => s.url === '/img'), 10_000, 'the image');

    // Back to the UI without the fragment, in the same tab: the token is still at hand.
    await page.goto(new URL('/', served.uiUrl).href);
    await page.getByText('credential', { exact: true }).first().waitFor();
    await page.close();

    expect(other.seen.length).toBeGreaterThanOrEqual(3);
    for (const s of other.seen) {
      expect(s.headers.cookie, s.url).toBeUndefined();
      expect(s.headers.referer ?? '', s.url).not.toContain(new URL(served.uiUrl).host);
    }
    expect(JSON.stringify(other.seen)).not.toContain(token);
  });
});

describe('a foreign page', () => {
  it('with 20 <img src=…/sse> spawns no process: each gets 403', async () => {
    const cli = await startCli(
      ['run', '--port', '0', '--', process.execPath, FIXTURE],
      /Streamable HTTP\s+(http:\/\/\S+)\n\s+Legacy SSE\s+(http:\/\/\S+)/,
    );
    clis.push(cli);
    const sseUrl = cli.match[2]!;
    const pid = cli.child.pid!;
    // The warm spare is up before the page comes.
    await until(() => descendants(pid).length >= 2, 10_000, 'the warm spare');
    const before = new Set(descendants(pid));
    const imgs = Array.from(
      { length: 20 },
      (_, i) => `<img src="${sseUrl}${sseUrl.includes('?') ? '&' : '?'}n=${i}">`,
    ).join('');
    const attacker = await listener({ '/attack': `<!doctype html><title>attack</title>${imgs}` });
    servers.push(attacker.server);

    const page = await browser.newPage();
    // Each image settles: a 403, which Chromium's ORB then hides from the page (a JSON
    // body is no image), so it shows as a failed load.
    const answers: string[] = [];
    page.on('requestfinished', (r) => {
      if (r.url().startsWith(sseUrl)) void r.response().then((res) => answers.push(String(res?.status())));
    });
    page.on('requestfailed', (r) => {
      if (r.url().startsWith(sseUrl)) answers.push(r.failure()?.errorText ?? 'failed');
    });
    // `localhost` is another site than 127.0.0.1, and another port as well.
    await page.goto(`http://localhost:${attacker.port}/attack`);
    await until(() => answers.length === 20, 15_000, '20 answers to the images');
    await page.close();
    for (const a of answers) expect(a).toMatch(/^(403|net::ERR_BLOCKED_BY_ORB)$/);
    const spawned = descendants(pid).filter((p) => !before.has(p));
    expect(spawned).toEqual([]);
  });
});

describe('serve --open', () => {
  it('puts the token on no command line: the browser gets a private file that redirects', async () => {
    const record = mkdtempSync(join(tmpdir(), 'patchbay-opener-'));
    // A stand-in browser: records what it was given, and stays up until told to go.
    const opener = join(record, 'browser.sh');
    writeFileSync(
      opener,
      `#!/bin/sh
d='${record}'
stat -c %a "$1" > "$d/mode"; stat -c %a "$(dirname "$1")" > "$d/dirmode"; cp "$1" "$d/page.html"
printf '%s\\n' "$@" > "$d/argv.tmp"; mv "$d/argv.tmp" "$d/argv"
i=0; while [ ! -e "$d/done" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done
`,
    );
    chmodSync(opener, 0o700);
    const cli = await startCli(
      ['serve', '--data-dir', tempDataDir(), '--port', '0', '--open'],
      /Patchbay UI: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/,
      { env: { ...process.env, BROWSER: opener } },
    );
    clis.push(cli);
    const token = WsApiClient.tokenOf(cli.match[1]!);
    // Every process's command line, searched over and over while the opener runs.
    const holders = new Set<number>();
    await until(
      () => {
        for (const pid of processesMatching(token)) holders.add(pid);
        return existsSync(join(record, 'argv'));
      },
      15_000,
      'the browser to be started',
    );
    const file = readFileSync(join(record, 'argv'), 'utf8').trim();
    expect(processesMatching(file).length).toBeGreaterThan(0); // the search sees the opener
    for (const pid of processesMatching(token)) holders.add(pid);
    writeFileSync(join(record, 'done'), '');
    expect([...holders]).toEqual([]);
    expect(file).not.toContain(token);
    expect(readFileSync(join(record, 'mode'), 'utf8').trim()).toBe('600');
    expect(readFileSync(join(record, 'dirmode'), 'utf8').trim()).toBe('700');
    expect(readFileSync(join(record, 'page.html'), 'utf8')).toContain(`#token=${token}`);

    // The file takes a real browser to the UI, signed in.
    const page = await browser.newPage();
    await page.goto(`file://${join(record, 'page.html')}`);
    await page.getByRole('heading', { name: 'No servers yet' }).waitFor();
    expect(page.url()).toBe(new URL('/', cli.match[1]).href);
    await page.close();

    expect(await cli.stop('SIGTERM')).toBe(0);
    expect(existsSync(file)).toBe(false); // removed on the way out, if not already
  });
});
