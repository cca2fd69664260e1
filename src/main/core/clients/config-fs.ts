import { chmod, mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';

/**
 * The file operations the writers and the status check use; injected so tests can run any
 * OS's layout in memory and make a step fail on purpose.
 */
export interface ConfigFs {
  /** The file's text, or `undefined` when it (or a folder on its path) does not exist. */
  readText(path: string): Promise<string | undefined>;
  /** Writes the whole file, creating or truncating it; `mode` when given, else a new file is 0600. */
  writeText(path: string, text: string, mode?: number): Promise<void>;
  /** Creates the folder and its parents (new ones 0700); no error when it exists. */
  mkdirp(path: string): Promise<void>;
  /** Replaces `to` with `from` in one step (rename on the same volume). */
  rename(from: string, to: string): Promise<void>;
  /** Deletes a file; no error when it is already gone. */
  remove(path: string): Promise<void>;
  /** The path with symlinks resolved, or the path itself when it does not exist. */
  resolve(path: string): Promise<string>;
  /** The file's permission bits, or `undefined` when it does not exist. */
  mode(path: string): Promise<number | undefined>;
}

const NEW_FILE_MODE = 0o600;
const NEW_DIR_MODE = 0o700;

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export const nodeConfigFs: ConfigFs = {
  async readText(path) {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  },
  async writeText(path, text, mode) {
    // A file Patchbay creates may hold a Bearer token: owner-only unless told otherwise
    // (an existing file's own mode, which the writers pass on).
    await writeFile(path, text, { encoding: 'utf8', mode: mode ?? NEW_FILE_MODE });
    // writeFile's mode only applies when it creates the file, and the umask trims it.
    if (mode !== undefined) await chmod(path, mode);
  },
  async mkdirp(path) {
    // Only folders created here get the mode; existing ones keep theirs.
    await mkdir(path, { recursive: true, mode: NEW_DIR_MODE });
  },
  async rename(from, to) {
    await rename(from, to);
  },
  async remove(path) {
    await rm(path, { force: true });
  },
  async resolve(path) {
    try {
      return await realpath(path);
    } catch (err) {
      if (isMissing(err)) return path;
      throw err;
    }
  },
  async mode(path) {
    try {
      return (await stat(path)).mode & 0o7777;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  },
};
