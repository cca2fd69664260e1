/**
 * Numbered schema migrations, applied in order at open, each in its own transaction.
 * Never edit one that has shipped: add the next.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: servers and their encrypted secrets.
  `CREATE TABLE servers (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL UNIQUE COLLATE NOCASE,
     port INTEGER NOT NULL UNIQUE,
     settings TEXT NOT NULL,
     running INTEGER NOT NULL DEFAULT 0,
     position INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE secrets (
     server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
     name TEXT NOT NULL,
     value BLOB NOT NULL,
     PRIMARY KEY (server_id, name)
   );`,
  // 2: child processes of this run, so the next launch can reap what a crash left behind.
  `CREATE TABLE child_processes (
     pid INTEGER PRIMARY KEY,
     server_id TEXT,
     command TEXT NOT NULL,
     started_at INTEGER NOT NULL
   );`,
  // 3: optional frame history, with retention by count and age.
  `CREATE TABLE frames (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     server_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     ts INTEGER NOT NULL,
     session_id TEXT,
     leg TEXT NOT NULL,
     transport TEXT NOT NULL,
     kind TEXT NOT NULL,
     method TEXT,
     rpc_id TEXT,
     bytes INTEGER NOT NULL,
     raw TEXT NOT NULL,
     latency_ms INTEGER
   );
   CREATE INDEX frames_by_time ON frames (server_id, ts);
   CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // 4: whose a frame is (Frame.by): 'patchbay' for Patchbay's own traffic, NULL for the user's.
  `ALTER TABLE frames ADD COLUMN frame_by TEXT;`,
  // 5: when each child started, as the OS tells it: a recorded pid is killed only on a match.
  `ALTER TABLE child_processes ADD COLUMN start_mark TEXT;`,
  // 6: the Tools tab's saved calls per server, each with the outcome of its last run.
  `CREATE TABLE saved_calls (
     id TEXT PRIMARY KEY,
     server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
     name TEXT NOT NULL,
     tool TEXT NOT NULL,
     args TEXT NOT NULL,
     last_outcome TEXT,
     last_run_at INTEGER,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX saved_calls_by_server ON saved_calls (server_id, created_at);`,
];
