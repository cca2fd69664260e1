import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

describe('better-sqlite3', () => {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-sqlite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs on the Node the tests use (>= 22, the N-API level its prebuilt binary needs)', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(22);
  });

  it('opens a file in WAL mode, writes in a transaction and reads back after reopening', () => {
    const file = join(dir, 'patchbay.db');
    const db = new Database(file);
    expect(db.pragma('journal_mode = WAL', { simple: true })).toBe('wal');
    db.exec('CREATE TABLE servers (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)');
    const insert = db.prepare('INSERT INTO servers (name) VALUES (?)');
    db.transaction((names: string[]) => names.forEach((n) => insert.run(n)))(['filesystem', 'github']);
    expect(() => insert.run('github')).toThrow(/UNIQUE/);
    db.close();

    const again = new Database(file, { readonly: true });
    const rows = again.prepare('SELECT name FROM servers ORDER BY id').all() as { name: string }[];
    expect(rows.map((r) => r.name)).toEqual(['filesystem', 'github']);
    again.close();
  });
});
