import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningCli, startCli } from '../support/cli-process';
import { repoRoot } from '../support/paths';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/conformance-server.mjs');
const CONFORMANCE = resolve(repoRoot, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');

interface Score {
  success: number;
  failure: number;
  warning: number;
  failed: string[];
  exitCode: number;
}

/** Runs the official suite against `url` and tallies every scenario's checks.json. */
function runSuite(url: string): Promise<Score> {
  const out = mkdtempSync(join(tmpdir(), 'patchbay-conformance-'));
  return new Promise((resolveScore) => {
    execFile(
      process.execPath,
      [CONFORMANCE, 'server', '--url', url, '--suite', 'all', '-o', out],
      { cwd: repoRoot, timeout: 150_000, maxBuffer: 32 * 1024 * 1024 },
      (err) => {
        const score: Score = {
          success: 0,
          failure: 0,
          warning: 0,
          failed: [],
          exitCode: err ? ((err as { code?: number }).code ?? 1) : 0,
        };
        for (const dir of readdirSync(out)) {
          const checks = JSON.parse(readFileSync(join(out, dir, 'checks.json'), 'utf8')) as {
            name?: string;
            status: string;
          }[];
          for (const c of checks) {
            if (c.status === 'SUCCESS') score.success++;
            else if (c.status === 'WARNING') score.warning++;
            else if (c.status === 'FAILURE') {
              score.failure++;
              score.failed.push(`${dir}: ${c.name ?? '?'}`);
            }
          }
        }
        rmSync(out, { recursive: true, force: true });
        resolveScore(score);
      },
    );
  });
}

describe('@modelcontextprotocol/conformance server --suite all through patchbay run', () => {
  const running: RunningCli[] = [];
  afterAll(async () => {
    await Promise.all(running.map((c) => c.stop()));
  });

  async function proxy(mode: 'isolated' | 'shared'): Promise<string> {
    // Default limits (issue 14): the suite opens a session per scenario and never deletes one;
    // idle processes are reclaimed at the cap of 16 rather than locking later scenarios out.
    const cli = await startCli(
      ['run', '--port', '0', '--mode', mode, '--', process.execPath, FIXTURE],
      /Streamable HTTP\s+(http:\/\/\S+)/,
    );
    running.push(cli);
    return cli.match[1]!;
  }

  it('passes every scenario in isolated mode', async () => {
    const score = await runSuite(await proxy('isolated'));
    console.log(
      `conformance, isolated mode: ${score.success} passed, ${score.failure} failed, ${score.warning} warnings`,
    );
    expect(score.failed).toEqual([]);
    expect(score.success).toBeGreaterThan(40);
    expect(score.exitCode).toBe(0);
  }, 180_000);

  it('reports the shared mode score', async () => {
    const score = await runSuite(await proxy('shared'));
    console.log(
      `conformance, shared mode: ${score.success} passed, ${score.failure} failed, ${score.warning} warnings` +
        (score.failed.length ? `\n  failed: ${score.failed.join('\n  failed: ')}` : ''),
    );
    expect(score.success).toBeGreaterThan(30);
  }, 180_000);
});
