import { spawn } from 'node:child_process';
import { ErrorCode, PatchbayError, toPatchbayError } from '../errors';
import { killProcessTree } from './kill-process-tree';

const MARKER = '__PATCHBAY_PATH__';
// Markers on their own line: rc files may print banners, prompts or escape codes around our output.
const PRINT_PATH_SCRIPT = `printf "\\n${MARKER}%s${MARKER}\\n" "$PATH"`;
const MARKED_PATH = new RegExp(`${MARKER}(.*?)${MARKER}`, 's');
const DEFAULT_TIMEOUT_MS = 5_000;
// A PATH is a few KiB; anything near this is an rc file gone wrong, not something to keep reading.
const MAX_OUTPUT_BYTES = 1024 * 1024;

/** Runs `shell args` and resolves with its stdout; rejects on failure or after `timeoutMs`. */
export type RunShell = (shell: string, args: string[], timeoutMs: number) => Promise<string>;

export type LoginShellPathOptions = {
  platform?: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  run?: RunShell;
  /** How long the login shell may take (rc files can be slow); defaults to 5 s. */
  timeoutMs?: number;
  /** Told why the login shell's PATH could not be read, so the caller can log it. */
  onError?: (error: PatchbayError) => void;
};

/** The login shell's PATH merged before `env.PATH` on macOS (Dock-launched apps lack it); else undefined. */
export async function loginShellPath(options: LoginShellPathOptions): Promise<string | undefined> {
  const platform = options.platform ?? process.platform;
  const { env } = options;
  // Linux desktop launchers usually source the profile already, so there it is opt-in.
  const wanted = platform === 'darwin' || (platform === 'linux' && env.PATCHBAY_LOGIN_SHELL_PATH === '1');
  if (!wanted) return undefined;

  const shell = env.SHELL || '/bin/zsh';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const run = options.run ?? ((file, args, ms) => runShell(file, args, ms, env));
  let timer: NodeJS.Timeout | undefined;
  try {
    // Our own deadline too, so an injected or misbehaving runner can never hang startup.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new PatchbayError(ErrorCode.Timeout, `${shell} did not print PATH within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    const output = await Promise.race([run(shell, ['-ilc', PRINT_PATH_SCRIPT], timeoutMs), deadline]);
    const shellPath = MARKED_PATH.exec(output)?.[1]?.trim();
    if (!shellPath) {
      throw new PatchbayError(ErrorCode.SpawnFailed, `${shell} printed no PATH between the markers`);
    }
    return mergePathLists(shellPath, env.PATH);
  } catch (err) {
    options.onError?.(toPatchbayError(err, ErrorCode.SpawnFailed));
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** Joins `:`-separated PATH lists in order, dropping empty and repeated entries (earlier wins). */
export function mergePathLists(...lists: (string | undefined)[]): string {
  const seen = new Set<string>();
  for (const list of lists) {
    for (const entry of list?.split(':') ?? []) {
      if (entry !== '') seen.add(entry);
    }
  }
  return [...seen].join(':');
}

let spawnEnvPath: Promise<string | undefined> | undefined;

/** The PATH to give spawned servers, computed once per process: login shell PATH merged, or `PATH`. */
export function getSpawnEnvPath(onError?: (error: PatchbayError) => void): Promise<string | undefined> {
  spawnEnvPath ??= loginShellPath({ env: process.env, onError }).then((merged) => merged ?? process.env.PATH);
  return spawnEnvPath;
}

// Interactive shells ignore SIGTERM and rc files may leave children holding stdout open, so on
// timeout we SIGKILL the whole process group and settle at once instead of waiting for 'close'.
function runShell(shell: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: {
        ...env,
        // No colours, no prompt tricks; and keep oh-my-zsh from stopping to ask about updates or
        // starting tmux (shell-env does the same).
        TERM: 'dumb',
        DISABLE_AUTO_UPDATE: 'true',
        ZSH_TMUX_AUTOSTARTED: 'true',
      },
    });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const timer = setTimeout(
      () => finish(new PatchbayError(ErrorCode.Timeout, `${shell} did not exit within ${timeoutMs} ms`)),
      timeoutMs,
    );

    function finish(error: Error | undefined, output?: string): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === undefined) {
        resolve(output ?? '');
        return;
      }
      try {
        if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
          killProcessTree(child.pid, 'SIGKILL');
        }
      } catch {
        // The shell is already gone or not ours to signal; `error` below is what the caller needs.
      } finally {
        child.stdout.destroy();
        reject(error);
      }
    }
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_OUTPUT_BYTES) {
        finish(
          new PatchbayError(ErrorCode.SpawnFailed, `${shell} printed more than ${MAX_OUTPUT_BYTES} bytes`),
        );
        return;
      }
      chunks.push(chunk);
    });
    child.on('error', (err) => finish(err));
    child.on('close', (code, signal) => {
      if (code === 0) finish(undefined, Buffer.concat(chunks).toString('utf8'));
      else
        finish(new PatchbayError(ErrorCode.SpawnFailed, `${shell} exited with ${signal ?? `code ${code}`}`));
    });
  });
}
