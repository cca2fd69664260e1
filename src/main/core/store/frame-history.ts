import type { Frame } from '../inspect/frame';
import type { Db } from './database';

/** How much frame history to keep on disk. */
export interface FrameRetention {
  maxFrames: number;
  maxAgeMs: number;
}

export const DEFAULT_RETENTION: FrameRetention = { maxFrames: 100_000, maxAgeMs: 7 * 24 * 3600_000 };

interface Row {
  seq: number;
  ts: number;
  session_id: string | null;
  leg: Frame['leg'];
  transport: Frame['transport'];
  kind: Frame['kind'];
  method: string | null;
  rpc_id: string | null;
  bytes: number;
  raw: string;
  latency_ms: number | null;
  frame_by: Frame['by'] | null;
}

/**
 * Frames kept on disk when the user asks for history: written in one transaction per
 * batch (frames arrive batched from the tap, already redacted), pruned by count and age
 * per server, read back for the inspector.
 */
export class FrameHistory {
  private readonly insert;
  private readonly pruneAge;
  private readonly pruneCount;

  constructor(
    private readonly db: Db,
    private retention: FrameRetention = DEFAULT_RETENTION,
  ) {
    this.insert = db.prepare(
      `INSERT INTO frames (server_id, seq, ts, session_id, leg, transport, kind, method, rpc_id, bytes, raw, latency_ms, frame_by)
       VALUES (@serverId, @seq, @ts, @sessionId, @leg, @transport, @kind, @method, @rpcId, @bytes, @raw, @latencyMs, @by)`,
    );
    this.pruneAge = db.prepare<[string, number]>('DELETE FROM frames WHERE server_id = ? AND ts < ?');
    this.pruneCount = db.prepare<[string, string, number]>(
      `DELETE FROM frames WHERE server_id = ? AND id <= (
         SELECT id FROM frames WHERE server_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    );
  }

  setRetention(retention: FrameRetention): void {
    this.retention = retention;
  }

  /** Appends a batch and applies the retention limits. */
  append(serverId: string, frames: readonly Frame[]): void {
    if (frames.length === 0) return;
    this.db.transaction(() => {
      for (const f of frames) {
        this.insert.run({
          serverId,
          seq: f.seq,
          ts: f.ts,
          sessionId: f.sessionId ?? null,
          leg: f.leg,
          transport: f.transport,
          kind: f.kind,
          method: f.method ?? null,
          rpcId: f.rpcId === undefined ? null : JSON.stringify(f.rpcId),
          bytes: f.bytes,
          raw: f.raw,
          latencyMs: f.latencyMs ?? null,
          by: f.by ?? null,
        });
      }
      this.pruneAge.run(serverId, Date.now() - this.retention.maxAgeMs);
      this.pruneCount.run(serverId, serverId, this.retention.maxFrames);
    })();
  }

  /** Stored frames of a server, oldest first, after `afterTs` (epoch ms). */
  read(serverId: string, options: { afterTs?: number; limit?: number } = {}): Frame[] {
    const rows = this.db
      .prepare<[string, number, number], Row>(
        'SELECT * FROM (SELECT * FROM frames WHERE server_id = ? AND ts > ? ORDER BY id DESC LIMIT ?) ORDER BY id',
      )
      .all(serverId, options.afterTs ?? 0, options.limit ?? 10_000);
    return rows.map((r) => {
      const f: Frame = {
        seq: r.seq,
        ts: r.ts,
        serverId,
        leg: r.leg,
        transport: r.transport,
        kind: r.kind,
        bytes: r.bytes,
        raw: r.raw,
      };
      if (r.session_id !== null) f.sessionId = r.session_id;
      if (r.method !== null) f.method = r.method;
      if (r.rpc_id !== null) f.rpcId = JSON.parse(r.rpc_id) as string | number;
      if (r.latency_ms !== null) f.latencyMs = r.latency_ms;
      if (r.frame_by !== null) f.by = r.frame_by;
      return f;
    });
  }

  clear(serverId: string): void {
    this.db.prepare<[string]>('DELETE FROM frames WHERE server_id = ?').run(serverId);
  }
}
