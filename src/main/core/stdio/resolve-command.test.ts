import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode, PatchbayError } from '../errors';
import { escapeCmdArgument, resolveCommand, type ResolveCommandOptions } from './resolve-command';

/** An `isFile` that knows exactly these paths and records every probe. */
function fakeFiles(...files: string[]): { isFile: (p: string) => boolean; probes: string[] } {
  const probes: string[] = [];
  return {
    probes,
    isFile: (p) => {
      probes.push(p);
      return files.includes(p);
    },
  };
}

function catchError(fn: () => unknown): PatchbayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PatchbayError) return err;
    throw err;
  }
  throw new Error('expected a PatchbayError');
}

// --- A model of what Windows does with the command line, so escaping is checked end to end ---

/** cmd.exe phase 1 on a command line: `%NAME%` expands when NAME is set (otherwise kept as is). */
function cmdExpandPercents(line: string, vars: Record<string, string>): string {
  return line.replace(/%([^%]+)%/g, (whole, name: string) => vars[name] ?? whole);
}

/** cmd.exe phase 2: quotes toggle, carets escape outside quotes, operators there end the command. */
function cmdUnescape(line: string): string {
  let out = '';
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? '';
    if (ch === '"') {
      inQuotes = !inQuotes;
      out += ch;
    } else if (!inQuotes && ch === '^') {
      i++;
      out += line[i] ?? '';
    } else if (!inQuotes && '&|<>()'.includes(ch)) {
      throw new Error(`cmd.exe would read "${ch}" at ${i} as an operator in: ${line}`);
    } else {
      out += ch;
    }
  }
  return out;
}

/** The program's side (CommandLineToArgvW / MSVCRT rules) for everything after the program name. */
function parseWindowsArgs(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let started = false;
  let inQuotes = false;
  for (let i = 0; i < line.length;) {
    const ch = line[i] ?? '';
    if (ch === '\\') {
      let count = 0;
      while (line[i] === '\\') {
        count++;
        i++;
      }
      if (line[i] === '"') {
        current += '\\'.repeat(Math.floor(count / 2));
        if (count % 2 === 1) {
          current += '"';
          i++;
        }
      } else {
        current += '\\'.repeat(count);
      }
      started = true;
    } else if (ch === '"') {
      inQuotes = !inQuotes;
      started = true;
      i++;
    } else if (!inQuotes && (ch === ' ' || ch === '\t')) {
      if (started) args.push(current);
      current = '';
      started = false;
      i++;
    } else {
      current += ch;
      started = true;
      i++;
    }
  }
  if (started) args.push(current);
  return args;
}

/** Runs a resolved `.cmd` through the model and returns the argv the final program would get. */
function argsAfterCmd(
  resolved: { args: string[]; resolvedFrom: string },
  forwardsPercentStar: boolean,
): string[] {
  const quotedLine = resolved.args[3] ?? '';
  expect(quotedLine.startsWith('"') && quotedLine.endsWith('"')).toBe(true);
  // /s: cmd strips the outer quotes and runs the rest.
  const line = cmdUnescape(cmdExpandPercents(quotedLine.slice(1, -1), { PATH: 'EXPANDED', USERNAME: 'me' }));
  const program = `"${resolved.resolvedFrom}" `;
  expect(line.startsWith(program)).toBe(true);
  let tail = line.slice(program.length);
  // A shim's `node cli.js %*` line is parsed by cmd once more (no second %-expansion of %*).
  if (forwardsPercentStar) tail = cmdUnescape(tail);
  return parseWindowsArgs(tail);
}

const NASTY_ARGS = [
  'a b',
  '"q"',
  'x&y',
  '100%',
  '',
  '%PATH%',
  'trailing\\',
  'C:\\dir with space\\',
  'back\\"slash',
  '^caret',
  '!bang!',
  'a|b',
  '<in>',
  '(paren)',
  '{"json":"x&y | z"}',
  'tab\there',
  ' lead',
  'semi;colon,comma',
];

describe('resolveCommand on Windows', () => {
  const nodejs = 'C:\\Program Files\\nodejs';
  const win = (
    extra: Partial<ResolveCommandOptions> & { env: NodeJS.ProcessEnv },
  ): ResolveCommandOptions => ({
    platform: 'win32',
    cwd: 'C:\\proj',
    ...extra,
  });

  it('finds the Path key whatever its casing', () => {
    const { isFile } = fakeFiles('C:\\tools\\uvx.exe');
    const resolved = resolveCommand('uvx', ['tool'], win({ env: { Path: 'C:\\tools' }, isFile }));
    expect(resolved).toEqual({
      file: 'C:\\tools\\uvx.exe',
      args: ['tool'],
      resolvedFrom: 'C:\\tools\\uvx.exe',
    });
  });

  it('reads the spelling the child will see when an env copy holds both PATH and Path', () => {
    const { isFile } = fakeFiles('C:\\upper\\uvx.exe', 'C:\\mixed\\uvx.exe');
    // Node keeps the first key in sorted order on Windows: "PATH" < "Path".
    const resolved = resolveCommand(
      'uvx',
      [],
      win({ env: { Path: 'C:\\mixed', PATH: 'C:\\upper' }, isFile }),
    );
    expect(resolved.resolvedFrom).toBe('C:\\upper\\uvx.exe');
  });

  it('tries PATHEXT extensions in order within each directory, directory by directory', () => {
    const { isFile, probes } = fakeFiles('C:\\b\\tool.exe', 'C:\\b\\tool.cmd');
    const resolved = resolveCommand('tool', [], win({ env: { PATH: 'C:\\a;C:\\b' }, isFile }));
    expect(resolved.resolvedFrom).toBe('C:\\b\\tool.exe');
    expect(probes).toEqual([
      'C:\\a\\tool.com',
      'C:\\a\\tool.exe',
      'C:\\a\\tool.bat',
      'C:\\a\\tool.cmd',
      'C:\\b\\tool.com',
      'C:\\b\\tool.exe',
    ]);
  });

  it('lets an earlier directory win over a preferred extension later', () => {
    const { isFile } = fakeFiles('C:\\a\\tool.cmd', 'C:\\b\\tool.exe');
    const resolved = resolveCommand('tool', [], win({ env: { PATH: 'C:\\a;C:\\b' }, isFile }));
    expect(resolved.resolvedFrom).toBe('C:\\a\\tool.cmd');
  });

  it('follows a custom PATHEXT order', () => {
    const { isFile } = fakeFiles('C:\\a\\tool.exe', 'C:\\a\\tool.cmd');
    const resolved = resolveCommand(
      'tool',
      [],
      win({ env: { PATH: 'C:\\a', PATHEXT: '.CMD;.EXE' }, isFile }),
    );
    expect(resolved.resolvedFrom).toBe('C:\\a\\tool.cmd');
  });

  it('tries a command that has an extension as is first', () => {
    const { isFile, probes } = fakeFiles('C:\\a\\node.exe', 'C:\\a\\node.exe.cmd');
    const resolved = resolveCommand('node.exe', ['server.js'], win({ env: { PATH: 'C:\\a' }, isFile }));
    expect(resolved).toEqual({
      file: 'C:\\a\\node.exe',
      args: ['server.js'],
      resolvedFrom: 'C:\\a\\node.exe',
    });
    expect(probes).toEqual(['C:\\a\\node.exe']);
  });

  it('unquotes quoted PATH entries and skips empty ones', () => {
    const { isFile } = fakeFiles('C:\\Program Files\\x\\srv.exe');
    const resolved = resolveCommand('srv', [], win({ env: { PATH: ';"C:\\Program Files\\x";' }, isFile }));
    expect(resolved.resolvedFrom).toBe('C:\\Program Files\\x\\srv.exe');
  });

  it('spawns an absolute .exe directly, without searching PATH', () => {
    const { isFile, probes } = fakeFiles('C:\\tools\\x.exe');
    const resolved = resolveCommand('C:\\tools\\x.exe', ['--stdio'], win({ env: { PATH: 'C:\\a' }, isFile }));
    expect(resolved).toEqual({
      file: 'C:\\tools\\x.exe',
      args: ['--stdio'],
      resolvedFrom: 'C:\\tools\\x.exe',
    });
    expect(resolved.windowsVerbatimArguments).toBeUndefined();
    expect(probes).toEqual(['C:\\tools\\x.exe']);
  });

  it('resolves a relative path against cwd, with PATHEXT and either slash', () => {
    const { isFile } = fakeFiles('C:\\proj\\node_modules\\.bin\\tsx.cmd');
    const resolved = resolveCommand('node_modules/.bin/tsx', ['srv.ts'], win({ env: {}, isFile }));
    expect(resolved.resolvedFrom).toBe('C:\\proj\\node_modules\\.bin\\tsx.cmd');
    expect(resolved.windowsVerbatimArguments).toBe(true);
  });

  it('runs npx.cmd through ComSpec with a verbatim, double-escaped command line', () => {
    const { isFile } = fakeFiles(`${nodejs}\\npx.cmd`);
    const resolved = resolveCommand(
      'npx',
      ['-y', '@scope/server'],
      win({ env: { Path: nodejs, ComSpec: 'C:\\WINDOWS\\system32\\cmd.exe' }, isFile }),
    );
    expect(resolved).toEqual({
      file: 'C:\\WINDOWS\\system32\\cmd.exe',
      args: ['/d', '/s', '/c', `""${nodejs}\\npx.cmd" ^^^"-y^^^" ^^^"@scope/server^^^""`],
      windowsVerbatimArguments: true,
      resolvedFrom: `${nodejs}\\npx.cmd`,
    });
  });

  it('falls back to cmd.exe and reads COMSPEC in any casing', () => {
    const { isFile } = fakeFiles('C:\\a\\run.bat');
    expect(resolveCommand('run', [], win({ env: { PATH: 'C:\\a' }, isFile })).file).toBe('cmd.exe');
    const upper = resolveCommand('run', [], win({ env: { PATH: 'C:\\a', COMSPEC: 'D:\\cmd.exe' }, isFile }));
    expect(upper.file).toBe('D:\\cmd.exe');
  });

  it('passes nasty arguments through an npm shim (cmd parses them twice) unchanged', () => {
    const { isFile } = fakeFiles(`${nodejs}\\npx.cmd`);
    const resolved = resolveCommand('npx', NASTY_ARGS, win({ env: { Path: nodejs }, isFile }));
    expect(argsAfterCmd(resolved, true)).toEqual(NASTY_ARGS);
  });

  it('passes nasty arguments to a plain batch file (cmd parses them once) unchanged', () => {
    const { isFile } = fakeFiles('C:\\tools\\start.cmd');
    const resolved = resolveCommand('C:\\tools\\start.cmd', NASTY_ARGS, win({ env: {}, isFile }));
    expect(argsAfterCmd(resolved, false)).toEqual(NASTY_ARGS);
  });

  it('double-escapes only for shims that forward %* to node', () => {
    const doubled = (file: string): boolean => {
      const resolved = resolveCommand(file, ['&'], win({ env: {}, isFile: () => true }));
      return (resolved.args[3] ?? '').includes('^^^&');
    };
    expect(doubled('C:\\proj\\node_modules\\.bin\\tsx.cmd')).toBe(true);
    expect(doubled('C:\\Users\\me\\AppData\\Roaming\\npm\\mcp-server-x.cmd')).toBe(true);
    expect(doubled('D:\\node\\pnpm.cmd')).toBe(true);
    expect(doubled('C:\\tools\\start.cmd')).toBe(false);
    expect(doubled('C:\\tools\\npm-start.bat')).toBe(false);
  });

  it('refuses line breaks, which cmd.exe cannot pass on', () => {
    const { isFile } = fakeFiles('C:\\a\\run.cmd');
    const err = catchError(() =>
      resolveCommand('run', ['ok', 'two\nlines'], win({ env: { PATH: 'C:\\a' }, isFile })),
    );
    expect(err.code).toBe(ErrorCode.SpawnFailed);
    expect(err.message).toContain('Argument 2 contains a line break');
  });

  it('says how many PATH entries it searched when nothing is found', () => {
    const err = catchError(() =>
      resolveCommand('npx', [], win({ env: { Path: 'C:\\a;;C:\\b' }, isFile: () => false })),
    );
    expect(err.code).toBe(ErrorCode.SpawnFailed);
    expect(err.message).toBe(
      'Command "npx" was not found on PATH. Install it or give its full path. (PATH has 2 entries)',
    );
  });
});

describe('resolveCommand on POSIX', () => {
  const posix = (
    extra: Partial<ResolveCommandOptions> & { env: NodeJS.ProcessEnv },
  ): ResolveCommandOptions => ({
    platform: 'linux',
    cwd: '/proj',
    ...extra,
  });

  it('searches PATH in order and returns the first match', () => {
    const { isFile, probes } = fakeFiles('/a/npx', '/b/npx');
    const resolved = resolveCommand('npx', ['-y', 'srv'], posix({ env: { PATH: '/a:/b' }, isFile }));
    expect(resolved).toEqual({ file: '/a/npx', args: ['-y', 'srv'], resolvedFrom: '/a/npx' });
    expect(probes).toEqual(['/a/npx']);
  });

  it('skips to later entries, ignores empty ones and never tries extensions', () => {
    const { isFile, probes } = fakeFiles('/b/uvx');
    const resolved = resolveCommand(
      'uvx',
      [],
      posix({ platform: 'darwin', env: { PATH: ':/a::/b' }, isFile }),
    );
    expect(resolved.resolvedFrom).toBe('/b/uvx');
    expect(probes).toEqual(['/a/uvx', '/b/uvx']);
  });

  it('copies args and sets no Windows options', () => {
    const args = ['x'];
    const resolved = resolveCommand('node', args, posix({ env: { PATH: '/usr/bin' }, isFile: () => true }));
    expect(resolved.args).toEqual(args);
    expect(resolved.args).not.toBe(args);
    expect(resolved).not.toHaveProperty('windowsVerbatimArguments');
  });

  it('resolves a command with a slash against cwd and does not search PATH', () => {
    const { isFile, probes } = fakeFiles('/proj/bin/server');
    const resolved = resolveCommand('bin/server', [], posix({ env: { PATH: '/usr/bin' }, isFile }));
    expect(resolved.resolvedFrom).toBe('/proj/bin/server');
    expect(probes).toEqual(['/proj/bin/server']);
  });

  it('reports a missing path-like command with the path it checked', () => {
    const err = catchError(() => resolveCommand('./server', [], posix({ env: {}, isFile: () => false })));
    expect(err.code).toBe(ErrorCode.SpawnFailed);
    expect(err.message).toBe(
      'Command "./server" was not found at /proj/server. Check the path; relative paths start from /proj.',
    );
  });

  it('gives an actionable not-found message with the PATH length, not the PATH', () => {
    const err = catchError(() =>
      resolveCommand('npx', [], posix({ env: { PATH: '/secret/one:/secret/two:/x' }, isFile: () => false })),
    );
    expect(err).toBeInstanceOf(PatchbayError);
    expect(err.code).toBe(ErrorCode.SpawnFailed);
    expect(err.message).toBe(
      'Command "npx" was not found on PATH. Install it or give its full path. (PATH has 3 entries)',
    );
    expect(
      catchError(() => resolveCommand('npx', [], posix({ env: {}, isFile: () => false }))).message,
    ).toContain('(PATH has 0 entries)');
    expect(
      catchError(() => resolveCommand('npx', [], posix({ env: { PATH: '/a' }, isFile: () => false })))
        .message,
    ).toContain('(PATH has 1 entry)');
  });

  it('rejects an empty command', () => {
    expect(catchError(() => resolveCommand('  ', [], posix({ env: {} }))).code).toBe(ErrorCode.SpawnFailed);
  });
});

describe.skipIf(process.platform === 'win32')('resolveCommand with the real file system', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'patchbay-resolve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds only regular files with the execute bit', () => {
    writeFileSync(path.join(dir, 'runnable'), '#!/bin/sh\n');
    chmodSync(path.join(dir, 'runnable'), 0o755);
    writeFileSync(path.join(dir, 'plain'), 'text');
    chmodSync(path.join(dir, 'plain'), 0o644);
    mkdirSync(path.join(dir, 'folder'));

    expect(resolveCommand('runnable', [], { env: { PATH: dir } }).file).toBe(path.join(dir, 'runnable'));
    expect(() => resolveCommand('plain', [], { env: { PATH: dir } })).toThrow(PatchbayError);
    expect(() => resolveCommand('folder', [], { env: { PATH: dir } })).toThrow(PatchbayError);
    expect(resolveCommand('./runnable', [], { env: {}, cwd: dir }).file).toBe(path.join(dir, 'runnable'));
  });
});

describe('escapeCmdArgument', () => {
  it('quotes, escapes quotes and trailing backslashes, then caret-escapes', () => {
    expect(escapeCmdArgument('', false)).toBe('^"^"');
    expect(escapeCmdArgument('a b', false)).toBe('^"a^ b^"');
    expect(escapeCmdArgument('"q"', false)).toBe('^"\\^"q\\^"^"');
    expect(escapeCmdArgument('x&y', false)).toBe('^"x^&y^"');
    expect(escapeCmdArgument('100%', false)).toBe('^"100^%^"');
    expect(escapeCmdArgument('dir\\', false)).toBe('^"dir\\\\^"');
    expect(escapeCmdArgument('a\\b', false)).toBe('^"a\\b^"');
    expect(escapeCmdArgument('x&y', true)).toBe('^^^"x^^^&y^^^"');
  });
});
