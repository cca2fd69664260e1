import type { Frame } from '../inspect/frame';
import type { FrameBatch } from '../inspect/frame-tap';
import type { StderrEntry } from '../stdio/stderr-log';
import type { FrameHistory } from '../store/frame-history';
import { type FrameQuery, matchesQuery } from './frame-query';
import type { RunningServers } from './running-servers';
import type { Servers } from './servers';

/**
 * The traffic domain: a server's frames (in memory, or on disk with history on) and its
 * stderr log, read, followed live and cleared.
 */
export class ServerTraffic {
  constructor(
    private readonly servers: Servers,
    private readonly running: RunningServers,
    private readonly history: FrameHistory,
  ) {}

  /** The server's stderr lines after `afterSeq`. */
  logs(id: string, afterSeq = 0): StderrEntry[] {
    return this.running.runtime(id)?.stderr.since(afterSeq) ?? [];
  }

  /** Names the numbering of the server's stderr and frames now (each run numbers from 1). */
  runs(id: string): { logs: string; frames: string } {
    const runtime = this.servers.runningRuntime(id);
    return { logs: runtime.stderr.run, frames: runtime.frames.run };
  }

  subscribeLogs(id: string, listener: (entry: StderrEntry) => void): () => void {
    return this.servers.runningRuntime(id).stderr.subscribe(listener);
  }

  /** Forgets the server's stderr lines so far (new ones keep their increasing seq). */
  clearLogs(id: string): void {
    this.servers.config(id);
    this.running.runtime(id)?.stderr.clear();
  }

  /** Frames that match the query, oldest first: kept in memory, or on disk with `history`. */
  frames(id: string, query: FrameQuery & { history?: boolean } = {}): Frame[] {
    let all: Frame[];
    if (query.history) all = this.history.read(id);
    else all = this.running.runtime(id)?.frames.since(query.afterSeq ?? 0) ?? [];
    const matching = all.filter((f) => matchesQuery(f, query));
    return query.limit === undefined ? matching : matching.slice(-query.limit);
  }

  subscribeFrames(id: string, listener: (batch: FrameBatch) => void): () => void {
    return this.servers.runningRuntime(id).frames.subscribe(listener);
  }

  /** Forgets the server's frames so far, in memory and in the disk history. */
  clearFrames(id: string): void {
    this.servers.config(id);
    this.running.runtime(id)?.frames.clear();
    this.history.clear(id);
  }
}
