// The official conformance runner 0.2 (newest pre-release, aliased conformance-0-2), its
// 2026-07-28 scenarios, through `patchbay run` in front of the conformance fixture: a
// 2025-only stdio server, so every 2026-07-28 answer comes from the bridge. Before the bridge
// 5 of 40 scenarios passed (isolated); the only failures left are the ones listed here.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningCli, startCli } from '../support/cli-process';
import { repoRoot } from '../support/paths';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/conformance-server.mjs');
const RUNNER = resolve(repoRoot, 'node_modules/conformance-0-2/dist/index.js');

/** `scenario: check` → why it fails through Patchbay (docs/notes/mcp-2026-07-28.md "The bridge"). */
const EXCEPTIONS: [RegExp, string][] = [
  [/^http-custom-header-server-validation: /, 'the fixture has no tool with x-mcp-header arguments'],
  [/^input-required-result-/, 'the fixture has none of the test_input_required_result_* tools'],
  [/^json-schema-2020-12: /, "the fixture's tool schema lacks the 2020-12 keywords"],
  [
    /^server-stateless: (ServerRejectsUndeclaredCapability|MissingCapabilityHttp400|HttpServerNoIndependentRequestsOnStream|ServerNoLogWithoutLogLevel)$/,
    'the fixture has none of the diagnostic tools these checks call',
  ],
  [
    /^http-header-validation: ServerRejectsMissing(Method|Name)Header$/,
    'Patchbay accepts a request without Mcp-Method / Mcp-Name (pass-through does too)',
  ],
];

/** Runs the 2026-07-28 scenarios; the failed `scenario: check` names and the passing scenarios. */
function run(url: string): Promise<{ failed: string[]; passed: number; scenarios: number }> {
  const out = mkdtempSync(join(tmpdir(), 'patchbay-bridge-conformance-'));
  return new Promise((done) => {
    execFile(
      process.execPath,
      [RUNNER, 'server', '--url', url, '--suite', 'all', '--spec-version', '2026-07-28', '-o', out],
      { cwd: repoRoot, timeout: 170_000, maxBuffer: 32 * 1024 * 1024 },
      () => {
        const failed: string[] = [];
        let passed = 0;
        const dirs = readdirSync(out);
        for (const dir of dirs) {
          const scenario = dir.replace(/^server-/, '').replace(/-\d{4}-\d\d-\d\dT.*$/, '');
          const checks = JSON.parse(readFileSync(join(out, dir, 'checks.json'), 'utf8')) as {
            name?: string;
            status: string;
          }[];
          const bad = checks.filter((c) => c.status === 'FAILURE');
          if (bad.length === 0) passed++;
          for (const c of bad) failed.push(`${scenario}: ${c.name ?? '?'}`);
        }
        rmSync(out, { recursive: true, force: true });
        done({ failed, passed, scenarios: dirs.length });
      },
    );
  });
}

describe('conformance 0.2, spec 2026-07-28, a 2025-only server behind Patchbay', () => {
  const running: RunningCli[] = [];
  afterAll(async () => {
    await Promise.all(running.map((c) => c.stop()));
  });

  for (const mode of ['isolated', 'shared'] as const)
    it(`fails only the listed exceptions (${mode})`, async () => {
      // --no-key: this measures the bridge; the runner's header-validation requests drop the
      // URL's ?key= (401 with a key), which is the per-server key's concern, not the bridge's.
      const cli = await startCli(
        ['run', '--port', '0', '--no-key', '--mode', mode, '--', process.execPath, FIXTURE],
        /Streamable HTTP\s+(http:\/\/\S+)/,
      );
      running.push(cli);
      const score = await run(cli.match[1]!);
      console.log(
        `conformance 0.2 2026-07-28 through the bridge (${mode}): ${score.passed}/${score.scenarios} scenarios pass`,
      );
      expect(score.failed.filter((f) => !EXCEPTIONS.some(([re]) => re.test(f)))).toEqual([]);
      expect(score.scenarios).toBeGreaterThan(30);
      expect(score.passed).toBeGreaterThanOrEqual(26);
    }, 180_000);
});
