import { killProcessTree } from '../stdio/kill-process-tree';
import { setChildListener } from '../stdio/child-registry';
import { isSameProcess, processStartMark } from '../stdio/process-identity';
import type { Db } from './database';

/**
 * Keeps the pids of the children this run spawned in the database, with when each started.
 * If our process dies abruptly (SIGKILL, power loss of the app, a crash the exit hook
 * cannot see), the next launch kills what is still running from that list — only a pid
 * whose start time and command still match, since pids are reused.
 */
export class ChildLedger {
  private readonly add;
  private readonly remove;

  constructor(private readonly db: Db) {
    this.add = db.prepare<[number, string, number, string | null]>(
      'INSERT OR REPLACE INTO child_processes (pid, command, started_at, start_mark) VALUES (?, ?, ?, ?)',
    );
    this.remove = db.prepare<[number]>('DELETE FROM child_processes WHERE pid = ?');
  }

  /** Kills leftovers of an earlier run; returns the pids it killed. */
  reapLeftovers(): number[] {
    const rows = this.db
      .prepare<[], { pid: number; command: string; start_mark: string | null }>(
        'SELECT pid, command, start_mark FROM child_processes',
      )
      .all();
    const killed: number[] = [];
    for (const { pid, command, start_mark } of rows) {
      if (pid !== process.pid && isSameProcess(pid, command, start_mark)) {
        try {
          killProcessTree(pid, 'SIGKILL');
          killed.push(pid);
        } catch {
          // Not ours to signal after all; nothing more to do.
        }
      }
    }
    this.db.prepare('DELETE FROM child_processes').run();
    return killed;
  }

  /** Starts recording this run's children. */
  record(): void {
    setChildListener({
      spawned: (pid, command) => this.add.run(pid, command, Date.now(), processStartMark(pid) ?? null),
      exited: (pid) => this.remove.run(pid),
    });
  }

  stop(): void {
    setChildListener(undefined);
  }
}
