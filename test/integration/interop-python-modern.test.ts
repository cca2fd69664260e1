// PROTOCOL.md "The 2026-07-28 bridge": the Python SDK's client (`mcp` 2.x) pinned to 2026-07-28
// (`Client(url, mode="2026-07-28")`: no `server/discover` probe, no fallback to initialize) uses
// @modelcontextprotocol/server-everything, a 2025-only stdio server, through `patchbay run`
// (keyed URL as printed), both modes: tools, progress, an elicitation (MRTR) and a listen
// stream, as bridge-clients.test.ts does for the TypeScript SDK. Skips, saying why, where
// python3 or the package is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVERYTHING_COMMAND, type Proxy, startProxy, stopProxy } from '../support/patchbay-proxy';
import { type PythonModernJob, usePythonClient } from '../support/python-client';
import { pythonMcp } from '../support/python-venv';

const python = usePythonClient('python modern interop tests');

const URI = 'demo://resource/static/document/architecture.md';
const ANSWER = { name: 'Ada Lovelace', check: true, email: 'ada@example.com' };
const JOB: PythonModernJob = {
  mode: '2026-07-28',
  progress: { tool: 'trigger-long-running-operation', arguments: { duration: 0.4, steps: 4 }, steps: 4 },
  elicit: { tool: 'trigger-elicitation-request', arguments: {}, answer: ANSWER },
  // server-everything sends simulated updates to subscribed sessions once toggled on.
  listen: { uri: URI, trigger: { tool: 'toggle-subscriber-updates', arguments: {} }, timeoutS: 20 },
};

describe.each(['isolated', 'shared'] as const)('Python mcp 2.x client, modern only, %s mode', (mode) => {
  let proxy: Proxy;
  beforeAll(async () => {
    proxy = await startProxy(mode, EVERYTHING_COMMAND);
  });
  afterAll(() => stopProxy(proxy));

  it(
    'lists tools, calls one with progress, answers an elicitation and listens to a resource',
    { timeout: 60_000 },
    async (ctx) => {
      const client = python(ctx);
      const py = await pythonMcp();
      // Pinned modern mode (and `Client.listen`) arrived with mcp 2.x.
      if ('mcpVersion' in py && !py.mcpVersion.startsWith('2.'))
        ctx.skip(`the venv has mcp ${py.mcpVersion}; modern mode needs 2.x`);

      const report = await client.modern(proxy.mcpUrl, JOB);
      expect(report.protocolVersion).toBe('2026-07-28');
      expect(report.tools).toContain('echo');
      // Registered by server-everything only for a client declaring elicitation: the legacy
      // session Patchbay keeps was initialized with this client's capabilities.
      expect(report.tools).toContain('trigger-elicitation-request');

      expect(report.progressText).toBe('Long running operation completed. Duration: 0.4 seconds, Steps: 4.');
      expect(report.progress).toEqual([1, 2, 3, 4]);

      // A modern connection has no server→client requests: the question came back as an
      // input-required result (keyed by Patchbay's `input-<legacy id>`), and the retry carried
      // the answer to the held call.
      expect(report.elicitations).toHaveLength(1);
      expect(report.elicitations[0]?.key).toMatch(/^input-/);
      expect(report.elicitText).toContain('Ada Lovelace');
      expect(report.elicitText).toContain('ada@example.com');

      expect(report.honored).toEqual([URI]);
      expect(report.updated).toEqual([URI]);
    },
  );
});
