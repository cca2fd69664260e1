import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerManager } from '../../src/main/core/manager/server-manager';
import { MAX_OUTCOME_CHARS, MAX_SAVED_CALLS } from '../../src/main/core/store/saved-calls';

describe('SavedCallStore', () => {
  let m: ServerManager | undefined;
  afterEach(async () => {
    await m?.shutdown();
    m = undefined;
  });

  const open = (dataDir: string) => (m = ServerManager.open({ dataDir, home: dataDir }));

  it('keeps saved calls and their last outcome across a reopen, and forgets them with their server', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-saved-'));
    const s = await open(dataDir).create({ name: 'fx', command: 'node', args: ['x.js'] });
    const saved = m!.savedCalls.save(s.id, 'greet', 'echo', { text: 'hi' });
    m!.savedCalls.setLastOutcome(saved.id, {
      serverId: s.id,
      callId: 'c1',
      ok: true,
      result: { content: [{ type: 'text', text: 'hi' }] },
    });
    await m!.shutdown();

    const again = open(dataDir).savedCalls.list(s.id);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ name: 'greet', tool: 'echo', args: { text: 'hi' } });
    expect(again[0]!.lastOutcome).toMatchObject({ ok: true, result: { content: [{ text: 'hi' }] } });
    expect(again[0]!.lastRunAt).toBeGreaterThan(0);

    await m!.delete(s.id);
    expect(m!.savedCalls.list(s.id)).toEqual([]);
  });

  it('is bounded: calls per server, and the size of a kept outcome', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-saved-'));
    const s = await open(dataDir).create({ name: 'fx', command: 'node', args: ['x.js'] });
    for (let i = 0; i < MAX_SAVED_CALLS; i++) m!.savedCalls.save(s.id, `c${i}`, 'echo', {});
    expect(() => m!.savedCalls.save(s.id, 'one more', 'echo', {})).toThrow(/saved calls already/);
    const id = m!.savedCalls.list(s.id)[0]!.id;
    const big = 'x'.repeat(MAX_OUTCOME_CHARS + 10);
    m!.savedCalls.setLastOutcome(id, {
      serverId: s.id,
      callId: 'c',
      ok: true,
      result: { content: [{ type: 'text', text: big }] },
    });
    const kept = m!.savedCalls.get(id)!.lastOutcome!;
    expect(JSON.stringify(kept).length).toBeLessThan(1000);
    expect(JSON.stringify(kept)).toContain('too large to keep');
  });
});
