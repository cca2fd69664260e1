import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, PatchbayError } from '../errors';

/** A command ready for `child_process.spawn(file, args, { windowsVerbatimArguments, shell: false })`. */
export type ResolvedCommand = {
  /** The program to start: the executable found, or cmd.exe when the command is a batch file. */
  file: string;
  args: string[];
  /** Set when `args` are already quoted for cmd.exe, so Node must not quote them again. */
  windowsVerbatimArguments?: boolean;
  /** The file the command resolved to, for logs and error messages. */
  resolvedFrom: string;
};

export type ResolveCommandOptions = {
  env: NodeJS.ProcessEnv;
  /** Base for relative commands like `./server.js`; defaults to `process.cwd()`. */
  cwd?: string;
  platform?: NodeJS.Platform;
  /** Whether a path is a file we may start; injected so every OS branch runs in tests on Linux. */
  isFile?: (path: string) => boolean;
};

const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

// Characters cmd.exe treats specially, the set cross-spawn escapes (see robvanderwoude.com/escapechars.php).
// Escaping a few harmless ones too (space, comma) costs nothing and keeps the rule simple.
const CMD_META_CHARS = /([()\][%!^"`<>&|;, *?])/g;

// Batch files that only forward `%*` to node: cmd.exe parses their arguments a second time when it
// expands `%*`, so carets must survive two passes (cross-spawn does the same for node_modules/.bin).
// npm writes the same kind of shim for npm/npx themselves and into its global prefix (%APPDATA%\npm).
const NODE_BIN_SHIM = /node_modules[\\/]\.bin[\\/][^\\/]+\.cmd$/i;
const NPM_FAMILY_SHIM = /(?:^|[\\/])(?:npm|npx|pnpm|pnpx|yarn|yarnpkg|corepack)\.cmd$/i;
const NPM_GLOBAL_SHIM = /[\\/]npm[\\/][^\\/]+\.cmd$/i;

/** Finds `command` like a shell would and returns what to pass to `spawn` with `shell: false`. */
export function resolveCommand(
  command: string,
  args: readonly string[],
  options: ResolveCommandOptions,
): ResolvedCommand {
  const platform = options.platform ?? process.platform;
  const windows = platform === 'win32';
  const pathApi = windows ? path.win32 : path.posix;
  const cwd = options.cwd ?? process.cwd();
  const isFile = options.isFile ?? (windows ? isRegularFile : isExecutableFile);

  if (command.trim() === '') {
    throw new PatchbayError(
      ErrorCode.SpawnFailed,
      'No command given. Enter the program to start, e.g. "npx".',
    );
  }

  const extensions = windows ? pathExtensions(options.env) : [];
  const candidatesFor = (base: string): string[] => (windows ? windowsCandidates(base, extensions) : [base]);

  let found: string | undefined;
  if (hasPathSeparator(command, windows)) {
    const base = pathApi.resolve(cwd, command);
    found = candidatesFor(base).find((candidate) => isFile(candidate));
    if (found === undefined) {
      throw new PatchbayError(
        ErrorCode.SpawnFailed,
        `Command "${command}" was not found at ${base}. Check the path; relative paths start from ${cwd}.`,
      );
    }
  } else {
    const dirs = pathEntries(getEnv(options.env, 'PATH', windows), windows);
    // Directory-major order, like a shell: the first PATH entry wins over a better extension later.
    for (const dir of dirs) {
      found = candidatesFor(pathApi.resolve(cwd, dir, command)).find((candidate) => isFile(candidate));
      if (found !== undefined) break;
    }
    if (found === undefined) {
      const entries = `${dirs.length} ${dirs.length === 1 ? 'entry' : 'entries'}`;
      throw new PatchbayError(
        ErrorCode.SpawnFailed,
        `Command "${command}" was not found on PATH. Install it or give its full path. (PATH has ${entries})`,
      );
    }
  }

  if (!windows || /\.(?:exe|com)$/i.test(found)) {
    return { file: found, args: [...args], resolvedFrom: found };
  }
  return wrapInCmd(found, args, options.env);
}

/** Quotes one argument for a cmd.exe command line (qntm.org/cmd, as cross-spawn does it). */
export function escapeCmdArgument(arg: string, doubleEscapeMetaChars: boolean): string {
  // First quote it for the program's own parser (CommandLineToArgvW rules): backslashes only
  // matter before a quote, so double those runs and escape the quote itself.
  let quoted = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    quoted += ch === '"' ? '\\'.repeat(backslashes * 2 + 1) + '"' : '\\'.repeat(backslashes) + ch;
    backslashes = 0;
  }
  // Trailing backslashes sit before our closing quote, so they double too.
  quoted += '\\'.repeat(backslashes * 2) + '"';

  // Then caret-escape for cmd.exe, quotes included: cmd then sees no quoted region at all, so an
  // embedded `"` cannot switch its quote state and expose a `&` or `|` as an operator.
  const escaped = quoted.replace(CMD_META_CHARS, '^$1');
  return doubleEscapeMetaChars ? escaped.replace(CMD_META_CHARS, '^$1') : escaped;
}

// Since Node's fix for CVE-2024-27980, spawn refuses .bat/.cmd files without a shell, so we run
// them through cmd.exe ourselves and hand Node a command line it must pass through verbatim.
function wrapInCmd(file: string, args: readonly string[], env: NodeJS.ProcessEnv): ResolvedCommand {
  args.forEach((arg, index) => {
    if (/[\r\n]/.test(arg)) {
      throw new PatchbayError(
        ErrorCode.SpawnFailed,
        `Argument ${index + 1} contains a line break, which cmd.exe cannot pass to ${file}. Put it on one line.`,
      );
    }
  });
  const doubleEscape = NODE_BIN_SHIM.test(file) || NPM_FAMILY_SHIM.test(file) || NPM_GLOBAL_SHIM.test(file);
  // Windows paths cannot contain `"`, so plain quotes are enough for the program itself.
  const line = [`"${file}"`, ...args.map((arg) => escapeCmdArgument(arg, doubleEscape))].join(' ');
  return {
    file: getEnv(env, 'ComSpec', true) || 'cmd.exe',
    // /d skips AutoRun commands from the registry; /s makes cmd strip exactly the outer quotes.
    args: ['/d', '/s', '/c', `"${line}"`],
    windowsVerbatimArguments: true,
    resolvedFrom: file,
  };
}

function hasPathSeparator(command: string, windows: boolean): boolean {
  return windows ? /[\\/]/.test(command) || /^[a-zA-Z]:/.test(command) : command.includes('/');
}

// A command with an extension is tried as is first (`node.exe`); then each PATHEXT extension,
// lower-cased because NTFS ignores case and `npx.cmd` reads better in logs than `npx.CMD`.
function windowsCandidates(base: string, extensions: readonly string[]): string[] {
  const withExtensions = extensions.map((ext) => base + ext);
  return path.win32.extname(base) === '' ? withExtensions : [base, ...withExtensions];
}

function pathExtensions(env: NodeJS.ProcessEnv): string[] {
  const value = getEnv(env, 'PATHEXT', true) || DEFAULT_PATHEXT;
  return value
    .split(';')
    .map((ext) => ext.trim().toLowerCase())
    .filter((ext) => ext.startsWith('.'));
}

// Empty entries are skipped rather than read as "current directory": a GUI app's cwd is arbitrary,
// and we never search it implicitly either (cmd.exe does), so a planted `npx.exe` there cannot win.
function pathEntries(value: string | undefined, windows: boolean): string[] {
  if (value === undefined) return [];
  return value
    .split(windows ? ';' : ':')
    .map((entry) => (windows ? entry.trim().replace(/^"(.*)"$/, '$1') : entry))
    .filter((entry) => entry !== '');
}

// Windows env names are case-insensitive (`Path`, `ComSpec`). When a copied env holds several
// spellings, Node gives the child the first in sorted order, so we read that same one.
function getEnv(env: NodeJS.ProcessEnv, name: string, windows: boolean): string | undefined {
  if (!windows) return env[name];
  const upper = name.toUpperCase();
  const key = Object.keys(env)
    .sort()
    .find((candidate) => candidate.toUpperCase() === upper);
  return key === undefined ? undefined : env[key];
}

function isRegularFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function isExecutableFile(file: string): boolean {
  if (!isRegularFile(file)) return false;
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
