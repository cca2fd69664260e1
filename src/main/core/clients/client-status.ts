import type { ClientState, ClientStatus, FoundEntry } from '@shared/connect';

export type { ClientState, ClientStatus, FoundEntry };
import { toPatchbayError } from '../errors';
import { clientInfo, type ConnectServer, FILE_CLIENTS, type FileClientId } from './client-catalog';
import { type ClientConfigFile, clientConfigFiles } from './client-config-files';
import { isRecord } from './client-entries';
import { clientServerName } from './client-names';
import { type ConfigFs, nodeConfigFs } from './config-fs';
import { parseDocument, serverMap } from './config-document';
import { checkEntry, sameUrl } from './entry-check';
import type { LocationOptions } from './import/config-locations';

export interface StatusOptions extends LocationOptions {
  fs?: ConfigFs;
}

/** The server's standing in every client with a config file. Never throws for a bad file. */
export function clientStatuses(server: ConnectServer, options: StatusOptions): Promise<ClientStatus[]> {
  return Promise.all(FILE_CLIENTS.map((client) => clientStatus(client, server, options)));
}

export async function clientStatus(
  client: FileClientId,
  server: ConnectServer,
  options: StatusOptions,
): Promise<ClientStatus> {
  const fs = options.fs ?? nodeConfigFs;
  const files = clientConfigFiles(client, options);
  const name = clientServerName(client, server.name);
  const entries: FoundEntry[] = [];
  const errors: ClientStatus['errors'] = [];
  let anyFile = false;
  let targetBroken = false;

  for (const file of files) {
    let text: string | undefined;
    let maps: { servers: Record<string, unknown>; project?: string }[];
    try {
      text = await fs.readText(file.path);
      if (text === undefined) continue;
      anyFile = true;
      maps = serverMaps(parseDocument(text, file.syntax, false), file);
    } catch (err) {
      // Read but not parsed, or there but not readable: either way the file exists.
      anyFile = true;
      targetBroken ||= file.role === 'target';
      errors.push({ path: file.path, message: toPatchbayError(err).message });
      continue;
    }
    for (const { servers, project } of maps) {
      for (const [key, entry] of Object.entries(servers)) {
        const check = checkEntry(entry, server);
        const byName = key === name;
        const byUrl = check.url !== undefined && sameUrl(check.url, server.url);
        if (!byName && !byUrl) continue;
        const found: FoundEntry = { name: key, path: file.path, kind: check.kind, problems: check.problems };
        if (check.url !== undefined) found.url = check.url;
        const where = project ?? file.project;
        if (where !== undefined) found.project = where;
        if (file.role === 'legacy') found.legacy = true;
        entries.push(found);
      }
    }
  }

  const target = files.find((f) => f.role === 'target');
  return {
    client,
    label: clientInfo(client).label,
    path: target?.path ?? files[0]?.path ?? '',
    state: stateOf(entries, targetBroken, anyFile),
    entries,
    errors,
  };
}

function stateOf(entries: FoundEntry[], targetBroken: boolean, anyFile: boolean): ClientState {
  if (entries.some((e) => e.kind === 'current')) return 'registered';
  if (entries.some((e) => e.kind === 'stale')) return 'stale';
  if (entries.some((e) => e.kind === 'other')) return 'name-taken';
  if (targetBroken) return 'unreadable';
  return anyFile ? 'absent' : 'no-config';
}

/** The server maps of one file: its container, plus Claude Code's per-project maps. */
function serverMaps(
  root: Record<string, unknown>,
  file: ClientConfigFile,
): { servers: Record<string, unknown>; project?: string }[] {
  const maps: { servers: Record<string, unknown>; project?: string }[] = [];
  const top = serverMap(root, file.container);
  if (top !== undefined) maps.push({ servers: top });
  if (file.perProject === true && isRecord(root.projects)) {
    for (const [project, settings] of Object.entries(root.projects)) {
      if (isRecord(settings) && isRecord(settings.mcpServers))
        maps.push({ servers: settings.mcpServers, project });
    }
  }
  return maps;
}
