import { readFile as fsReadFile } from 'node:fs/promises';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { toPatchbayError } from '../../errors';
import { configLocations, type ConfigLocation, type LocationOptions } from './config-locations';
import type { ImportedServer, ImportScan, ImportSource, SkippedEntry } from './imported-server';
import { parseClientConfig, type ParsedEntry } from './parse-client-config';

/** Reads a file as text; `undefined` means "not there", anything thrown is reported. */
export type ReadFile = (path: string) => Promise<string | undefined>;

/** What dedupe needs to know of a server already in Patchbay. */
export interface ExistingServer {
  name: string;
  command: string;
  args: string[];
  /** Its environment; a value left undefined (a secret not at hand) matches any value. */
  env?: Record<string, string | undefined>;
}

/** The machine to scan, plus the servers Patchbay already has (so they are not offered again). */
export interface ScanOptions extends LocationOptions {
  readFile?: ReadFile;
  existing?: ExistingServer[];
}

/** Reads a UTF-8 file; `undefined` when it (or a folder on its path) does not exist. */
export async function readTextFile(file: string): Promise<string | undefined> {
  try {
    return await fsReadFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A client that is not installed simply has no file: that is not an error to show.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/**
 * Reads every client config file on this machine and returns the stdio servers to offer,
 * deduplicated against each other and `existing`. One bad file lands in `errors`; never throws.
 */
export async function scanClientConfigs(options: ScanOptions): Promise<ImportScan> {
  const readFile = options.readFile ?? readTextFile;
  const found: ImportedServer[] = [];
  const skipped: SkippedEntry[] = [];
  const errors: ImportScan['errors'] = [];

  // Read in parallel but handle in location order: dedupe keeps the first of two copies.
  const reads = await Promise.all(
    configLocations(options).map(async (location) => {
      try {
        return { location, text: await readFile(location.path) };
      } catch (err) {
        return { location, error: toPatchbayError(err).message };
      }
    }),
  );

  for (const read of reads) {
    const { location } = read;
    if ('error' in read) {
      errors.push({ path: location.path, message: `could not read the file: ${read.error}` });
      continue;
    }
    if (read.text === undefined) continue;
    let parsed;
    try {
      parsed = parseClientConfig(read.text, location.format);
    } catch (err) {
      errors.push({ path: location.path, message: toPatchbayError(err).message });
      continue;
    }
    for (const skip of parsed.skipped) {
      const source = sourceOf(location, skip.project);
      skipped.push({ name: skip.name, kind: skip.kind, reason: skip.reason, source });
    }
    for (const entry of parsed.entries) {
      const result = await toImported(entry, location, options, readFile);
      if ('kind' in result) skipped.push(result);
      else found.push(result);
    }
  }

  const deduped = dedupe(found, options.existing ?? []);
  return { found: deduped.found, skipped: [...skipped, ...deduped.skipped], errors };
}

/**
 * Drops entries that Patchbay already has under the same name, command, args and env
 * ('already in Patchbay as "x"') or that an earlier entry already offers ('duplicate of
 * <client>'), and renames the rest whose name is taken (`name-2`, `name-3`, …). The same
 * command under another name or env is offered, with a note naming the server it resembles.
 */
export function dedupe(
  found: ImportedServer[],
  existing: ExistingServer[],
): { found: ImportedServer[]; skipped: SkippedEntry[] } {
  // Same program, same arguments: one entry offered, however many clients list it.
  const key = (s: { command: string; args: string[] }): string => JSON.stringify([s.command, ...s.args]);
  const existingByKey = new Map<string, ExistingServer[]>();
  for (const e of existing) existingByKey.set(key(e), [...(existingByKey.get(key(e)) ?? []), e]);
  // Names compare without case so "GitHub" and "github" never sit side by side in the list.
  const takenNames = new Set(existing.map((s) => s.name.toLowerCase()));
  const firstByKey = new Map<string, ImportedServer>();
  const kept: ImportedServer[] = [];
  const skipped: SkippedEntry[] = [];

  for (const server of found) {
    const k = key(server);
    const sameCommand = existingByKey.get(k) ?? [];
    const match = sameCommand.find((e) => sameServer(server, e));
    if (match !== undefined) {
      skipped.push({
        name: server.name,
        kind: 'existing',
        reason: `already in Patchbay as "${match.name}"`,
        source: server.source,
      });
      continue;
    }
    const first = firstByKey.get(k);
    if (first !== undefined) {
      const reason = `duplicate of ${first.source.client}`;
      skipped.push({ name: server.name, kind: 'duplicate', reason, source: server.source });
      continue;
    }
    firstByKey.set(k, server);
    const name = uniqueName(server.name, takenNames);
    takenNames.add(name.toLowerCase());
    const warnings = [...server.warnings];
    if (name !== server.name) warnings.push(`renamed from "${server.name}": that name is taken`);
    const like = sameCommand[0];
    if (like !== undefined)
      warnings.push(`same command as "${like.name}" in Patchbay, with another name or env`);
    kept.push(warnings.length === server.warnings.length ? server : { ...server, name, warnings });
  }
  return { found: kept, skipped };
}

/** A name as compared: letters and digits, any case (an import stores `@scope/x` as `scope-x`). */
const nameKey = (name: string) => name.replace(/[^\p{L}\p{N}]+/gu, '').toLowerCase();

/** Same name and the same environment: what makes two entries one server. */
function sameServer(server: ImportedServer, e: ExistingServer): boolean {
  if (nameKey(server.name) !== nameKey(e.name)) return false;
  const theirs = e.env ?? {};
  const keys = Object.keys(server.env);
  if (keys.length !== Object.keys(theirs).length) return false;
  return keys.every((k) => k in theirs && (theirs[k] === undefined || theirs[k] === server.env[k]));
}

function uniqueName(name: string, taken: Set<string>): string {
  if (!taken.has(name.toLowerCase())) return name;
  for (let n = 2; ; n++) {
    const candidate = `${name}-${n}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

async function toImported(
  entry: ParsedEntry,
  location: ConfigLocation,
  options: ScanOptions,
  readFile: ReadFile,
): Promise<ImportedServer | SkippedEntry> {
  const project = entry.project ?? location.project;
  const source = sourceOf(location, entry.project);
  const server: ImportedServer = {
    name: entry.name,
    command: entry.command,
    args: entry.args,
    env: entry.env,
    source,
    warnings: [...entry.warnings],
  };
  // The clients start a project's servers in the project folder; relative paths in args rely on it.
  const cwd = entry.cwd ?? project;
  if (cwd !== undefined) server.cwd = cwd;
  if (entry.envFile === undefined) return server;

  const skip = (reason: string): SkippedEntry => ({ name: entry.name, kind: 'env-file', reason, source });
  const file = resolveEnvFile(entry.envFile, options, project);
  if (file === undefined) {
    return skip(
      `envFile "${entry.envFile}" cannot be located outside the client; copy its variables into env`,
    );
  }
  let text: string | undefined;
  try {
    text = await readFile(file);
  } catch (err) {
    return skip(`envFile ${file} could not be read: ${toPatchbayError(err).message}`);
  }
  if (text === undefined) return skip(`envFile ${file} was not found`);
  const fromFile: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseEnv(text))) if (value !== undefined) fromFile[key] = value;
  // The entry's own env is the more specific setting, so it wins over the file.
  server.env = { ...fromFile, ...entry.env };
  server.warnings.push(`env includes ${Object.keys(fromFile).length} variable(s) read from ${file}`);
  return server;
}

/** The absolute path of an `envFile`, or undefined when it depends on something only the client knows. */
function resolveEnvFile(
  envFile: string,
  options: ScanOptions,
  project: string | undefined,
): string | undefined {
  const p = options.platform === 'win32' ? path.win32 : path.posix;
  let resolved = envFile.replaceAll('${userHome}', options.home);
  if (project !== undefined) resolved = resolved.replaceAll('${workspaceFolder}', project);
  if (resolved.includes('${')) return undefined;
  if (p.isAbsolute(resolved)) return p.normalize(resolved);
  // A relative envFile is taken from the project folder, where the client starts the server.
  return project === undefined ? undefined : p.join(project, resolved);
}

function sourceOf(location: ConfigLocation, entryProject: string | undefined): ImportSource {
  const project = entryProject ?? location.project;
  const source: ImportSource = { client: location.client, path: location.path };
  if (project !== undefined) source.project = project;
  return source;
}
