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
