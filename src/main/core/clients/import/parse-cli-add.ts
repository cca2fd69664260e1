import type { PastedConfig } from '@shared/imported-server';
import { ErrorCode, PatchbayError } from '../../errors';

/** Options of `claude|codex|gemini mcp add` that take a value (the rest are flags). */
const VALUE_OPTIONS = new Set([
  '-e',
  '--env',
  '-s',
  '--scope',
  '-t',
  '--transport',
  '-H',
  '--header',
  '--timeout',
  '--trust',
]);
const ENV_OPTIONS = new Set(['-e', '--env']);
const TRANSPORT_OPTIONS = new Set(['-t', '--transport']);

/** True for words that start a client's "add a server" command: `claude mcp add …`. */
export function isCliAdd(words: readonly string[]): boolean {
  return (
    /^(npx\s+)?(@[\w-]+\/)?(claude|codex|gemini)(-code|-cli)?$/.test(words[0] ?? '') &&
    words[1] === 'mcp' &&
    words[2] === 'add'
  );
}

/**
 * Reads `claude mcp add [options] <name> [--] <command> [args…]` (and the same form of Codex
 * and Gemini CLI): options with `KEY=value` env pairs, then the server's name and command line.
 * A remote transport (`-t http`, `--transport sse`) is skipped with its reason.
 */
export function parseCliAdd(words: readonly string[]): PastedConfig {
  const env: Record<string, string> = {};
  let transport: string | undefined;
  let name: string | undefined;
  let i = 3;
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      i++;
      break;
    }
    const [flag, inline] =
      w.startsWith('--') && w.includes('=')
        ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]
        : [w, undefined];
    if (VALUE_OPTIONS.has(flag)) {
      const value = inline ?? words[++i];
      if (value === undefined) throw new PatchbayError(ErrorCode.InvalidArgument, `${flag} needs a value`);
      if (ENV_OPTIONS.has(flag)) {
        const eq = value.indexOf('=');
        if (eq <= 0)
          throw new PatchbayError(ErrorCode.InvalidArgument, `${flag} ${value}: expected KEY=value`);
        env[value.slice(0, eq)] = value.slice(eq + 1);
      } else if (TRANSPORT_OPTIONS.has(flag)) transport = value;
      continue;
    }
    if (w.startsWith('-')) continue; // a flag without a value
    if (name === undefined) {
      name = w;
      continue;
    }
    break; // the command starts here (no `--` written)
  }
  const [command, ...args] = words.slice(i);
  if (name === undefined)
    throw new PatchbayError(
      ErrorCode.InvalidArgument,
      `No server name after "${words.slice(0, 3).join(' ')}"`,
    );
  if (transport !== undefined && transport !== 'stdio') {
    return {
      servers: [],
      skipped: [
        { name, reason: `a remote server (${transport}): it has its own URL, Patchbay fronts stdio servers` },
      ],
    };
  }
  if (command === undefined)
    throw new PatchbayError(
      ErrorCode.InvalidArgument,
      `No command for "${name}": expected ${words.slice(0, 3).join(' ')} ${name} -- <command> [args…]`,
    );
  if (/^https?:\/\//.test(command)) {
    return {
      servers: [],
      skipped: [
        { name, reason: 'a remote server (a URL): it has its own URL, Patchbay fronts stdio servers' },
      ],
    };
  }
  return { servers: [{ name, command, args, env, warnings: [] }], skipped: [] };
}
