import type { WriteResult } from '@shared/connect';

export type { WriteResult };
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ErrorCode, PatchbayError, toPatchbayError } from '../errors';
import { clientInfo, type ConnectServer, type FileClientId } from './client-catalog';
import { type ClientConfigFile, clientTargetFile } from './client-config-files';
import { clientEntry, type EntryObject, entryTarget, isRecord } from './client-entries';
import { type ConfigFs, nodeConfigFs } from './config-fs';
import { editDocument, parseDocument, serverMap } from './config-document';
import { checkEntry, sameUrl } from './entry-check';
import type { LocationOptions } from './import/config-locations';

/** The machine to write on; `fs` is injected in tests. */
export interface WriteOptions extends LocationOptions {
  fs?: ConfigFs;
  /**
   * Overwrite (add) or delete (remove) an entry of the server's name even when it is a
   * different server — a command, or a URL elsewhere. Without it such an entry is refused.
   */
  force?: boolean;
}

/** The suffix of the copy of a file's previous version, kept beside it. */
export const BACKUP_SUFFIX = '.patchbay-backup';

/**
 * Adds the server to `client`'s user-wide config file, creating the file and its folders when
 * missing. An entry already there for this server (same URL, or the same endpoint under an old
 * port) is updated in place. Throws `InvalidArgument` when the file is not valid (it is left
 * untouched) and `AlreadyExists` when the name belongs to a different server, unless `force`.
 */
export async function addToClient(
  client: FileClientId,
  server: ConnectServer,
  options: WriteOptions,
): Promise<WriteResult> {
  const { fs, file, text, servers } = await open(client, options);
  const entry = clientEntry(client, server);
  // The user may have added it under a name of their own: update that one, not add a twin.
  const key =
    servers?.[entry.name] !== undefined ? entry.name : (entryAtUrl(servers, server.url) ?? entry.name);
  const existing = servers?.[key];
  const result = { client, path: file.path, name: key };
  let value = entry.value;
  if (existing !== undefined) {
    const check = checkEntry(existing, server);
    if (check.kind === 'other' && options.force !== true) {
      throw new PatchbayError(
        ErrorCode.AlreadyExists,
        `${clientInfo(client).label} already has a server named "${key}" in ${file.path}, and it ` +
          `${check.problems.join('; ')}. Rename the server in Patchbay, or replace that entry.`,
      );
    }
    value = updated(existing, entry.value);
    if (isDeepStrictEqual(plain(existing), value))
      return { ...result, action: 'unchanged', formatKept: true };
  }
  const edit = editDocument(text, file, key, value);
  const backupPath = await commit(fs, file.path, text, edit.text, options.platform);
  const action = existing === undefined ? 'added' : 'updated';
  return withBackup({ ...result, action, formatKept: edit.formatKept }, backupPath);
}

/** The fields our entries set; any other field in an existing entry is the user's and stays. */
const MANAGED = ['type', 'url', 'serverUrl', 'httpUrl', 'headers', 'http_headers', 'command', 'args', 'env'];

/**
 * An existing entry brought up to date: our fields replaced in place, the user's own
 * (alwaysAllow, trust, timeout…) kept, the order of the keys unchanged.
 */
function updated(existing: unknown, ours: EntryObject): EntryObject {
  if (!isRecord(existing)) return ours;
  const out: EntryObject = {};
  for (const [key, value] of Object.entries(plain(existing) as EntryObject)) {
    const mine = ours[key];
    if (mine !== undefined) out[key] = mine;
    else if (!MANAGED.includes(key)) out[key] = value;
  }
  for (const [key, value] of Object.entries(ours)) if (!(key in out)) out[key] = value;
  return out;
}

/** A copy with plain objects (TOML tables have no prototype), for comparing and merging. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function entryAtUrl(servers: Record<string, unknown> | undefined, url: string): string | undefined {
  if (servers === undefined) return undefined;
  return Object.keys(servers).find((k) => {
    const target = entryTarget(servers[k]).url;
    return target !== undefined && sameUrl(target, url);
  });
}

/**
 * Removes the server from `client`'s user-wide config file: the entry of its name, or, when
 * there is none, any entry pointing at its URL (renamed by the user). `not-found` when neither
 * is there. A different server under the name is refused unless `force`.
 */
export async function removeFromClient(
  client: FileClientId,
  server: ConnectServer,
  options: WriteOptions,
): Promise<WriteResult> {
  const { fs, file, text, servers } = await open(client, options);
  const { name } = clientEntry(client, server);
  const result = { client, path: file.path, name };
  let names: string[] = [];
  const named = servers?.[name];
  if (named !== undefined) {
    const check = checkEntry(named, server);
    if (check.kind === 'other' && options.force !== true) {
      throw new PatchbayError(
        ErrorCode.AlreadyExists,
        `The "${name}" entry in ${file.path} ${check.problems.join('; ')}; Patchbay did not remove it.`,
      );
    }
    names = [name];
  } else if (servers !== undefined) {
    names = Object.keys(servers).filter((key) => {
      const url = entryTarget(servers[key]).url;
      return url !== undefined && sameUrl(url, server.url);
    });
  }
  if (names.length === 0) return { ...result, action: 'not-found', formatKept: true };

  let after = text ?? '';
  let formatKept = true;
  for (const key of names) {
    const edit = editDocument(after, file, key, undefined);
    after = edit.text;
    formatKept &&= edit.formatKept;
  }
  const backupPath = await commit(fs, file.path, text, after, options.platform);
  return withBackup({ ...result, name: names[0] ?? name, action: 'removed', formatKept }, backupPath);
}

interface OpenFile {
  fs: ConfigFs;
  file: ClientConfigFile;
  text: string | undefined;
  servers: Record<string, unknown> | undefined;
}

async function open(client: FileClientId, options: WriteOptions): Promise<OpenFile> {
  const fs = options.fs ?? nodeConfigFs;
  const target = clientTargetFile(client, options);
  // Dotfile managers keep these files as symlinks: write through to the real file.
  const real = await io(`could not read ${target.path}`, () => fs.resolve(target.path));
  const file = { ...target, path: real };
  const text = await io(`could not read ${real}`, () => fs.readText(real));
  let servers: Record<string, unknown> | undefined;
  try {
    servers =
      text === undefined ? undefined : serverMap(parseDocument(text, file.syntax, true), file.container);
  } catch (err) {
    const e = toPatchbayError(err);
    throw new PatchbayError(
      e.code,
      `${real}: ${e.message}. Patchbay left the file unchanged; fix it (or move it away) and try again.`,
      { cause: err },
    );
  }
  return { fs, file, text, servers };
}

/**
 * Writes `after` over the file: the previous version copied to `<file>.patchbay-backup` first,
 * the new one written beside the file and renamed over it, so the client never reads half a
 * file. If the client changed the file meanwhile, nothing is written.
 */
async function commit(
  fs: ConfigFs,
  file: string,
  before: string | undefined,
  after: string,
  platform: NodeJS.Platform,
): Promise<string | undefined> {
  if (after === before) return undefined;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const mode = await io(`could not read ${file}`, () => fs.mode(file));
  await io(`could not create ${p.dirname(file)}`, () => fs.mkdirp(p.dirname(file)));
  let backupPath: string | undefined;
  if (before !== undefined) {
    backupPath = file + BACKUP_SUFFIX;
    const backup = backupPath;
    // Same permissions as the file: it may hold tokens.
    await io(`could not write the backup ${backup}`, () => fs.writeText(backup, before, mode));
  }
  const temp = `${file}.patchbay-${randomUUID().slice(0, 8)}.tmp`;
  try {
    await io(`could not write ${temp}`, () => fs.writeText(temp, after, mode));
    const now = await io(`could not read ${file}`, () => fs.readText(file));
    if (now !== before) {
      throw new PatchbayError(
        ErrorCode.Busy,
        `${file} changed while Patchbay was updating it (the client saved it?); nothing was written, try again`,
      );
    }
    await io(`could not replace ${file}`, () => fs.rename(temp, file));
  } finally {
    await io(`could not remove ${temp}`, () => fs.remove(temp));
  }
  return backupPath;
}

async function io<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof PatchbayError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new PatchbayError(ErrorCode.Internal, `${what}: ${message}`, { cause: err });
  }
}

function withBackup(result: WriteResult, backupPath: string | undefined): WriteResult {
  return backupPath === undefined ? result : { ...result, backupPath };
}
