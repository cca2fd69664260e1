// The official server conformance suites through `patchbay run`, with default limits: the
// runners open a session per scenario and never DELETE one, like most real clients.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningCli, startCli } from '../support/cli-process';
import { repoRoot } from '../support/paths';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/conformance-server.mjs');
// 0.1.16 is the release; 0.2 exists only as pre-releases (the newest, aliased conformance-0-2).
const RUNNER_0_1 = resolve(repoRoot, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const RUNNER_0_2 = resolve(repoRoot, 'node_modules/conformance-0-2/dist/index.js');

interface Score {
  success: number;
  failure: number;
  warning: number;
  /** `scenario: check` for every FAILURE. */
  failed: string[];
  /** `scenario: check` for every WARNING (a SHOULD missed, e.g. no priming event). */
  warned: string[];
  exitCode: number;
}

/** Runs a conformance runner against `url` and tallies every scenario's checks.json. */
function runSuite(runner: string, url: string, flags: string[]): Promise<Score> {
  const out = mkdtempSync(join(tmpdir(), 'patchbay-conformance-'));
  return new Promise((resolveScore) => {
    execFile(
      process.execPath,
      [runner, 'server', '--url', url, ...flags, '-o', out],
      { cwd: repoRoot, timeout: 170_000, maxBuffer: 32 * 1024 * 1024 },
      (err) => {
        const score: Score = {
          success: 0,
          failure: 0,
          warning: 0,
          failed: [],
          warned: [],
          exitCode: err ? ((err as { code?: number }).code ?? 1) : 0,
        };
        for (const dir of readdirSync(out)) {
          const scenario = dir.replace(/^server-/, '').replace(/-\d{4}-\d\d-\d\dT.*$/, '');
          const checks = JSON.parse(readFileSync(join(out, dir, 'checks.json'), 'utf8')) as {
            name?: string;
            status: string;
            errorMessage?: string;
          }[];
          for (const c of checks) {
            const what = `${scenario}: ${c.name ?? '?'}${c.errorMessage ? ` (${c.errorMessage})` : ''}`;
            if (c.status === 'SUCCESS') score.success++;
            else if (c.status === 'WARNING') {
              score.warning++;
              score.warned.push(what);
            } else if (c.status === 'FAILURE') {
              score.failure++;
              score.failed.push(what);
            }
          }
        }
        rmSync(out, { recursive: true, force: true });
        resolveScore(score);
      },
    );
  });
}

function report(label: string, score: Score): void {
  console.log(
    `${label}: ${score.success} passed, ${score.failure} failed, ${score.warning} warnings` +
      score.failed.map((f) => `\n  failed: ${f}`).join('') +
      score.warned.map((w) => `\n  warned: ${w}`).join(''),
  );
}

describe('@modelcontextprotocol/conformance server suites through patchbay run', () => {
  const running: RunningCli[] = [];
  afterAll(async () => {
    await Promise.all(running.map((c) => c.stop()));
  });

  /** A fresh proxy with default limits (16 processes, 100 sessions). */
  async function proxy(mode: 'isolated' | 'shared'): Promise<string> {
    const cli = await startCli(
      ['run', '--port', '0', '--mode', mode, '--', process.execPath, FIXTURE],
      /Streamable HTTP\s+(http:\/\/\S+)/,
    );
    running.push(cli);
    return cli.match[1]!;
  }

  it('0.1.16 --suite all passes every scenario in isolated mode', async () => {
    // 32 scenarios, a session each, none deleted: twice the process cap.
    const score = await runSuite(RUNNER_0_1, await proxy('isolated'), ['--suite', 'all']);
    report('conformance 0.1.16, isolated mode', score);
    expect(score.failed).toEqual([]);
    expect(score.success).toBeGreaterThan(40);
    expect(score.exitCode).toBe(0);
  }, 180_000);

  it('0.1.16 --suite all: the shared mode score', async () => {
    const score = await runSuite(RUNNER_0_1, await proxy('shared'), ['--suite', 'all']);
    report('conformance 0.1.16, shared mode', score);
    expect(score.success).toBeGreaterThan(30);
  }, 180_000);

  for (const mode of ['isolated', 'shared'] as const)
    it(`0.2 --spec-version 2025-11-25 passes every scenario in ${mode} mode`, async () => {
      const score = await runSuite(RUNNER_0_2, await proxy(mode), [
        '--suite',
        'all',
        '--spec-version',
        '2025-11-25',
      ]);
      report(`conformance 0.2, spec 2025-11-25, ${mode} mode`, score);
      expect(score.failed).toEqual([]);
      // Warnings are SHOULDs missed: the priming event and retry field on a POST stream among them.
      expect(score.warned).toEqual([]);
      expect(score.success).toBeGreaterThan(70);
      expect(score.exitCode).toBe(0);
    }, 180_000);
});
