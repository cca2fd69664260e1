import { randomUUID } from 'node:crypto';
import type { SavedCall, ToolOutcome } from '@shared/tools';
import { ErrorCode, PatchbayError } from '../errors';
import type { Db } from './database';

/** Saved calls per server at most. */
export const MAX_SAVED_CALLS = 200;
/** A last outcome larger than this (a big image, say) is kept as a note instead. */
export const MAX_OUTCOME_CHARS = 512 * 1024;

interface Row {
  id: string;
  server_id: string;
  name: string;
  tool: string;
  args: string;
  last_outcome: string | null;
  last_run_at: number | null;
  created_at: number;
}

/** The Tools tab's saved calls: name, tool, arguments and the outcome of the last run. */
export class SavedCallStore {
  constructor(private readonly db: Db) {}

  list(serverId: string): SavedCall[] {
    return this.db
      .prepare<[string], Row>('SELECT * FROM saved_calls WHERE server_id = ? ORDER BY created_at, rowid')
      .all(serverId)
      .map(fromRow);
  }

  get(id: string): SavedCall | undefined {
    const row = this.db.prepare<[string], Row>('SELECT * FROM saved_calls WHERE id = ?').get(id);
    return row ? fromRow(row) : undefined;
  }

  /** Saves a call; refuses past MAX_SAVED_CALLS for the server. */
  save(serverId: string, name: string, tool: string, args: Record<string, unknown>): SavedCall {
    const count = this.db
      .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM saved_calls WHERE server_id = ?')
      .get(serverId)!.n;
    if (count >= MAX_SAVED_CALLS) {
      throw new PatchbayError(ErrorCode.Full, `${MAX_SAVED_CALLS} saved calls already: delete some first`);
    }
    const call: SavedCall = {
      id: randomUUID(),
      serverId,
      name: name.trim() || tool,
      tool,
      args,
      createdAt: Date.now(),
    };
    this.db
      .prepare(
        'INSERT INTO saved_calls (id, server_id, name, tool, args, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(call.id, serverId, call.name, tool, JSON.stringify(args), call.createdAt);
    return call;
  }

  /** Keeps the outcome of a run (a too large one as a short note). */
  setLastOutcome(id: string, outcome: ToolOutcome): void {
    let text = JSON.stringify(outcome);
    if (text.length > MAX_OUTCOME_CHARS) {
      const note: ToolOutcome = {
        serverId: outcome.serverId,
        callId: outcome.callId,
        ok: true,
        result: {
          content: [{ type: 'text', text: `The result was ${text.length} characters: too large to keep.` }],
        },
      };
      text = JSON.stringify(note);
    }
    this.db
      .prepare('UPDATE saved_calls SET last_outcome = ?, last_run_at = ? WHERE id = ?')
      .run(text, Date.now(), id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM saved_calls WHERE id = ?').run(id);
  }
}

function fromRow(r: Row): SavedCall {
  const call: SavedCall = {
    id: r.id,
    serverId: r.server_id,
    name: r.name,
    tool: r.tool,
    args: JSON.parse(r.args) as Record<string, unknown>,
    createdAt: r.created_at,
  };
  if (r.last_outcome !== null) call.lastOutcome = JSON.parse(r.last_outcome) as ToolOutcome;
  if (r.last_run_at !== null) call.lastRunAt = r.last_run_at;
  return call;
}
