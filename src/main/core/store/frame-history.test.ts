import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Frame } from '../inspect/frame';
import { openDatabase } from './database';
import { FrameHistory } from './frame-history';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function frame(seq: number, extra: Partial<Frame> = {}): Frame {
  const raw = `{"jsonrpc":"2.0","id":${seq},"method":"ping"}`;
  return {
    seq,
    ts: Date.now(),
    serverId: 'srv',
    leg: 'proxy→server',
    transport: 'stdio',
    kind: 'request',
    bytes: raw.length,
    raw,
    ...extra,
  };
}

describe('FrameHistory', () => {
  it("keeps whose a frame is: Patchbay's own come back marked, the user's without the field", () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchbay-history-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'p.db'));
    const history = new FrameHistory(db);
    history.append('srv', [
      frame(1, { by: 'patchbay', method: 'server/discover', rpcId: 'patchbay-discover' }),
      frame(2, { method: 'ping', rpcId: 2, sessionId: 's1' }),
      frame(3, { by: 'patchbay', kind: 'note', raw: 'session revived', bytes: 15 }),
    ]);
    const back = history.read('srv');
    expect(back.map((f) => [f.seq, f.kind, f.by])).toEqual([
      [1, 'request', 'patchbay'],
      [2, 'request', undefined],
      [3, 'note', 'patchbay'],
    ]);
    expect('by' in back[1]!).toBe(false);
    db.close();
  });
});
