import type { ServerConfig } from '@shared/server-config';
import type { SessionInfo } from '@shared/status';

/**
 * What in an edit needs the server's processes started again (their command line, environment,
 * folder, routing mode or listening address), by the name the Settings form uses. The rest (name,
 * autostart, token, origins, restart policy, limits) applies to a running server live.
 */
export function restartReasons(before: ServerConfig, after: ServerConfig): string[] {
  const reasons: string[] = [];
  if (before.command !== after.command || !sameList(before.args, after.args)) reasons.push('command');
  if (!sameEnv(before.env, after.env)) reasons.push('environment');
  if ((before.cwd ?? '') !== (after.cwd ?? '')) reasons.push('folder');
  if (before.mode !== after.mode) reasons.push('mode');
  if (before.port !== after.port) reasons.push('port');
  if (before.host !== after.host) reasons.push('address');
  return reasons;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sameEnv(a: ServerConfig['env'], b: ServerConfig['env']): boolean {
  return (
    a.length === b.length &&
    a.every(
      (e, i) =>
        e.key === b[i]!.key && (e.value ?? '') === (b[i]!.value ?? '') && !!e.secret === !!b[i]!.secret,
    )
  );
}

/** The question the UI asks before a restart: what changed and which clients drop. */
export function restartQuestion(
  name: string,
  reasons: readonly string[],
  sessions: readonly SessionInfo[],
): string {
  const clients = sessions.map((s) =>
    s.clientInfo?.name
      ? `${s.clientInfo.name}${s.clientInfo.version ? ` ${s.clientInfo.version}` : ''}`
      : 'an unnamed client',
  );
  const what =
    reasons.length === 1
      ? `its ${reasons[0]} changed`
      : `its ${reasons.slice(0, -1).join(', ')} and ${reasons.at(-1)} changed`;
  const n = sessions.length;
  return `Saving restarts ${name} (${what}): ${n} connected session${n === 1 ? '' : 's'} will drop (${clients.join(', ')}). Their clients reconnect by themselves or need a restart.`;
}
