import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * Whether `pid` still runs `command` — checked before killing a process recorded by an
 * earlier launch, since its pid may have been given to something else since.
 */
export function isRunning(
  pid: number,
  command: string,
  platform: NodeJS.Platform = process.platform,
): boolean {
  const name = basename(command)
    .replace(/\.(exe|cmd|bat|com)$/i, '')
    .toLowerCase();
  if (name === '') return false;
  const line = commandLine(pid, platform)?.toLowerCase();
  return line !== undefined && line.includes(name);
}

/**
 * When `pid` started, as the OS reports it (an opaque mark to compare, not a time to
 * read); undefined when it is not running or the OS will not say. A reused pid has
 * another mark, which is what makes killing a recorded pid safe.
 */
export function processStartMark(
  pid: number,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  try {
    if (platform === 'linux') {
      // Field 22 of /proc/PID/stat, counted after the command name, which may hold spaces.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') return undefined;
      return fields[19];
    }
    if (platform === 'win32') {
      const out = execFileSync(
        'powershell.exe',
        ['-NoProfile', '-Command', `(Get-Process -Id ${pid}).StartTime.ToUniversalTime().Ticks`],
        { encoding: 'utf8', windowsHide: true, timeout: 5000 },
      ).trim();
      return out === '' ? undefined : out;
    }
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      timeout: 5000,
    }).trim();
    return out === '' ? undefined : out;
  } catch {
    return undefined;
  }
}

/**
 * Whether `pid` is still the child recorded with `startMark` and `command`. Without a
 * recorded mark (a row from an older version) nothing is certain: false.
 */
export function isSameProcess(pid: number, command: string, startMark: string | null | undefined): boolean {
  if (!startMark) return false;
  return processStartMark(pid) === startMark && isRunning(pid, command);
}

function commandLine(pid: number, platform: NodeJS.Platform): string | undefined {
  try {
    if (platform === 'linux') {
      const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return raw === '' ? undefined : raw.split('\0').join(' '); // a zombie has an empty cmdline
    }
    if (platform === 'win32') {
      const out = execFileSync('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH'], {
        encoding: 'utf8',
        windowsHide: true,
        timeout: 5000,
      });
      return out.includes(`"${pid}"`) ? out : undefined;
    }
    const out = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], {
      encoding: 'utf8',
      timeout: 5000,
    }).trim();
    return out === '' ? undefined : out;
  } catch {
    return undefined;
  }
}
