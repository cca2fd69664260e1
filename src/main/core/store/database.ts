import { closeSync, copyFileSync, existsSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PRIVATE_FILE_MODE, ensurePrivateDir, makePrivate } from '../data-dir';
import { ErrorCode, PatchbayError } from '../errors';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the database file: WAL, foreign keys, and every pending
 * migration applied in order. A file that is not a database, or is from a newer
 * Patchbay, is never overwritten: the error says so and a backup copy is kept.
 */
export function openDatabase(file: string, migrations: readonly string[] = MIGRATIONS): Db {
  ensurePrivateDir(dirname(file));
  // SQLite gives -wal and -shm the database file's mode: create it 0600 (an empty file is
  // an empty database), and tighten files an earlier version left 0644.
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  makePrivate(file, `${file}-wal`, `${file}-shm`);
  let db: Db | undefined;
  try {
    db = new Database(file, { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    makePrivate(`${file}-wal`, `${file}-shm`);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    // A valid header can hide damaged pages: find out now, not on some later read.
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check failed: ${String(check)}`);
  } catch (err) {
    db?.close();
    throw new PatchbayError(
      ErrorCode.Internal,
      `Cannot open the database ${file}: ${errorText(err)}${backup(file)}`,
      {
        cause: err,
      },
    );
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    db.close();
    throw new PatchbayError(
      ErrorCode.Internal,
      `The database ${file} is from a newer Patchbay (schema ${version}, this one knows ${migrations.length}). Update Patchbay.`,
    );
  }
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}

/** The schema version a database file is at. */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function backup(file: string): string {
  if (!existsSync(file)) return '';
  const copy = `${file}.broken-${Date.now()}`;
  try {
    copyFileSync(file, copy);
    makePrivate(copy);
    return `. The file was left as it is; a copy is at ${copy}`;
  } catch {
    return '. The file was left as it is';
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
