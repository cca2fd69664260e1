import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerManager } from '../../src/main/core/manager/server-manager';
import { type RunningCli, startCli, tempDataDir } from '../support/cli-process';
import { FIXTURE } from '../support/engine-client';
import { cliBin } from '../support/paths';
import { WsApiClient } from '../support/ws-api-client';
import { WS_PATH } from '../../src/shared/contract';

/** A raw request, so tests control the Host header that fetch() would set for us. */
function get(url: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(url, { method, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('patchbay serve', () => {
  let cli: RunningCli;
  let url: string;
  let token: string;

  beforeAll(async () => {
    const started = await startCli(
      ['serve', '--data-dir', tempDataDir(), '--port', '0'],
      /Patchbay UI: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/,
    );
    cli = started;
    const printed = started.match[1]!;
    token = WsApiClient.tokenOf(printed);
    url = new URL('/', printed).href;
  });
  afterAll(async () => {
    await cli?.stop();
  });

  it('keeps its launch token out of cookies and query strings; the WebSocket wants it first', async () => {
    const page = await get(url);
    expect(page.status).toBe(200);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.body).not.toContain(token);
    // An old-style ?token= link is not honoured: it is dropped from the address bar.
    const old = await get(`${url}?token=${token}`);
    expect(old.status).toBe(302);
    expect(old.headers['location']).toBe('/');
    expect(old.headers['set-cookie']).toBeUndefined();
    // A local program forging Origin gets nowhere without the token.
    const wsUrl = `ws://${new URL(url).host}${WS_PATH}`;
    const origin = new URL(url).origin;
    const forged = await WsApiClient.connect(wsUrl, { Origin: origin, Cookie: `patchbay_token=${token}` });
    void forged.call('servers.list');
    expect(await forged.closed()).toBe(4401);
    await expect(WsApiClient.connect(wsUrl, { Origin: origin }, `${token}x`)).rejects.toThrow(/4401/);
    const api = await WsApiClient.connect(wsUrl, { Origin: origin }, token);
    expect(await api.ok('servers.list')).toEqual([]);
    api.close();
  });

  it('sends anti-framing and no-referrer headers on every response, refusals included', async () => {
    const asset = (await get(url)).body.match(/src="\.?(\/assets\/[^"]+\.js)"/)?.[1];
    const answers = [
      await get(url),
      await get(new URL(asset!, url).href),
      await get(new URL('/assets/missing.js', url).href),
      await get(url, { Host: 'evil.example' }),
      await get(url, { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors' }),
      await get(`${url}?token=x`),
      await get(url, {}, 'POST'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 404, 403, 403, 302, 405]);
    for (const a of answers) {
      expect(a.headers['content-security-policy']).toBe("frame-ancestors 'none'");
      expect(a.headers['x-frame-options']).toBe('DENY');
      expect(a.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('refuses cross-site requests except a top-level navigation to the page', async () => {
    for (const site of ['cross-site', 'same-site']) {
      expect((await get(url, { 'Sec-Fetch-Site': site, 'Sec-Fetch-Mode': 'no-cors' })).status).toBe(403);
      expect((await get(url, { 'Sec-Fetch-Site': site, 'Sec-Fetch-Mode': 'cors' })).status).toBe(403);
      expect((await get(url, { 'Sec-Fetch-Site': site, 'Sec-Fetch-Mode': 'navigate' }, 'POST')).status).toBe(
        403,
      );
      expect((await get(url, { 'Sec-Fetch-Site': site, 'Sec-Fetch-Mode': 'navigate' })).status).toBe(200);
    }
    for (const site of ['same-origin', 'none'])
      expect((await get(url, { 'Sec-Fetch-Site': site, 'Sec-Fetch-Mode': 'no-cors' })).status).toBe(200);
    // The WebSocket upgrade from another site is refused whatever Origin it claims.
    const wsUrl = `ws://${new URL(url).host}${WS_PATH}`;
    await expect(
      WsApiClient.connect(wsUrl, { Origin: new URL(url).origin, 'Sec-Fetch-Site': 'cross-site' }, token),
    ).rejects.toThrow(/403/);
  });

  it('never redirects to another host: leading slashes collapse', async () => {
    for (const path of [
      '/.//evil.example/?token=x',
      '//evil.example/?token=x',
      '/%2F%2Fevil.example/?token=x',
      '/.\\evil.example/?token=x',
    ]) {
      const res = await get(new URL(url).origin + path);
      const location = (res.headers['location'] as string | undefined) ?? '';
      expect(location, path).not.toMatch(/^[/\\]{2}/);
      expect(location, path).not.toContain('token');
      if (res.status === 302) expect(new URL(location, url).host, path).toBe(new URL(url).host);
    }
  });

  it('serves the renderer on 127.0.0.1 with its assets', async () => {
    const page = await get(url);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<title>Patchbay</title>');
    expect(page.body).toContain('Content-Security-Policy');
    const script = page.body.match(/src="\.?(\/assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await get(new URL(script!, url).href);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await get(url, { Host: 'evil.example' });
    expect(res.status).toBe(403);
  });

  it('keeps requests inside the renderer folder and answers unknown methods with 405', async () => {
    const escape = await get(new URL('/..%2f..%2f..%2fpackage.json', url).href);
    expect(escape.status).toBe(404);
    expect(escape.body).not.toContain('devDependencies');
    expect((await get(new URL('/assets/missing.js', url).href)).status).toBe(404);
    const post = await get(url, {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
  });

  it('says clearly when its port is taken', async () => {
    const port = new URL(url).port;
    const second = await startCli(
      ['serve', '--data-dir', tempDataDir(), '--port', port],
      /used by another program/,
    );
    expect(second.output()).toContain(`Port ${port}`);
    expect(await second.exited()).toBe(1);
  });

  it('stops cleanly on SIGTERM', async () => {
    const other = await startCli(['serve', '--data-dir', tempDataDir(), '--port', '0'], /Patchbay UI: /);
    expect(await other.stop('SIGTERM')).toBe(0);
  });
});

describe('patchbay bin', () => {
  it('prints its version and usage', () => {
    expect(execFileSync(process.execPath, [cliBin, '--version'], { encoding: 'utf8' })).toMatch(
      /^patchbay \d+\.\d+\.\d+/,
    );
    expect(execFileSync(process.execPath, [cliBin, '--help'], { encoding: 'utf8' })).toContain('serve');
  });

  // The system Node here is 20; the bin must hand over to the Node 24 npm installed.
  const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find(existsSync);
  it.runIf(systemNode !== undefined)('runs when started by the system Node', () => {
    const out = execFileSync(systemNode!, [cliBin, '--version'], { encoding: 'utf8' });
    expect(out).toMatch(/^patchbay \d+\.\d+\.\d+/);
  });
});

describe('patchbay serve with a data dir', () => {
  it('restores the servers that were running, on their URLs, and stops them on SIGTERM', async () => {
    const dataDir = tempDataDir();
    const m = ServerManager.open({ dataDir });
    const s = await m.create({ name: 'kept', command: process.execPath, args: [FIXTURE] });
    await m.start(s.id);
    const pasted = m.connectUrls(s.id).url; // with the server's key, stable across restarts
    expect(pasted).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${s.port}/mcp\\?key=`));
    await m.shutdown(); // as if the app quit with it running
    const cli = await startCli(['serve', '--data-dir', dataDir, '--port', '0'], /kept: (http:\/\/\S+)/);
    expect(cli.match[1]).toBe(pasted);
    expect(await cli.stop('SIGTERM')).toBe(0);
  });
});
