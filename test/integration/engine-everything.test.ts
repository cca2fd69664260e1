import { afterEach, describe, expect, it } from 'vitest';
import { ServerRuntime } from '../../src/main/core/routing/server-runtime';
import { EngineTestClient } from '../support/engine-client';
import { repoRoot } from '../support/paths';
import { waitGone } from '../support/processes';

// The published reference server, started the way users configure it: `npx` found on PATH.
const everything = {
  command: 'npx',
  args: ['--no-install', 'mcp-server-everything', 'stdio'],
  cwd: repoRoot,
};

const runtimes: ServerRuntime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.stop()));
});

describe.each(['isolated', 'shared'] as const)('@modelcontextprotocol/server-everything, %s mode', (mode) => {
  it('initializes, lists tools and calls them for two clients, then stops without leftovers', async () => {
    const r = new ServerRuntime({ ...everything, mode, probeTimeoutMs: 10_000 });
    runtimes.push(r);
    expect((await r.start()).status).toBe('running');
    const a = await EngineTestClient.connect(r, 'a');
    const b = await EngineTestClient.connect(r, 'b');
    expect(a.session.client.protocolVersion).toBe('2025-06-18');

    const list = await b.request('tools/list');
    const names = (list.result as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(names).toContain('echo');
    expect(await a.call('echo', { message: 'from a' })).toBe('Echo: from a');
    expect(await b.call('echo', { message: 'from b' })).toBe('Echo: from b');
    expect(a.delivered.filter((d) => d.msg.id === 2)).toHaveLength(1);

    // It does not speak 2026-07-28: the probe says so, with the revision it chose.
    expect(await r.protocolSupport()).toMatchObject({ stateless: false, versions: ['2025-11-25'] });

    const pids = [a.session.pid!, b.session.pid!];
    await r.stop();
    expect(await waitGone(pids)).toEqual([]);
  }, 60_000);
});
