import type { FileClientId } from './client-catalog';
import { ENTRY_LAYOUTS, type FileSyntax } from './client-entries';
import {
  type ConfigFormat,
  configLocations,
  connectOnlyLocations,
  type LocationOptions,
} from './import/config-locations';
import type { ClientId } from './import/imported-server';

/**
 * One file a client reads servers from. `target` is the user-wide file Patchbay writes to;
 * `legacy` a place older versions of the client used (read for status, never written);
 * `project` a project's own file (read for status when a project folder is given).
 */
export interface ClientConfigFile {
  client: FileClientId;
  path: string;
  role: 'target' | 'legacy' | 'project';
  syntax: FileSyntax;
  /** The object holding one entry per server name. */
  container: string[];
  /** ~/.claude.json: Claude Code's local scope keeps more maps under projects[<folder>]. */
  perProject?: boolean;
  project?: string;
}

const IMPORT_CLIENTS: ReadonlySet<string> = new Set<ClientId>([
  'claude-desktop',
  'cursor',
  'vscode',
  'windsurf',
  'claude-code',
]);

/** Every file `client` keeps servers in on this machine; paths come from config-locations. */
export function clientConfigFiles(client: FileClientId, options: LocationOptions): ClientConfigFile[] {
  const { syntax, container } = ENTRY_LAYOUTS[client];
  if (IMPORT_CLIENTS.has(client)) {
    return configLocations(options)
      .filter((l) => l.client === client)
      .map((l) => {
        const file: ClientConfigFile = {
          client,
          path: l.path,
          role: l.project !== undefined ? 'project' : l.format === 'vscode-settings' ? 'legacy' : 'target',
          // A project's .mcp.json is plain JSON whatever ~/.claude.json's quirks.
          syntax: l.format === 'vscode-settings' ? 'jsonc' : syntax,
          container: containerOf(l.format),
        };
        if (l.format === 'claude-code') file.perProject = true;
        if (l.project !== undefined) file.project = l.project;
        return file;
      });
  }
  return connectOnlyLocations(options)
    .filter((l) => l.client === client)
    .map((l) => ({ client, path: l.path, role: l.legacy === true ? 'legacy' : 'target', syntax, container }));
}

/** The user-wide file Patchbay adds `client`'s entry to. */
export function clientTargetFile(client: FileClientId, options: LocationOptions): ClientConfigFile {
  const target = clientConfigFiles(client, { ...options, cwd: undefined }).find((f) => f.role === 'target');
  // config-locations lists a user-wide file for every client; this only fails if that changes.
  if (target === undefined) throw new Error(`no user-wide config file known for ${client}`);
  return target;
}

function containerOf(format: ConfigFormat): string[] {
  switch (format) {
    case 'vscode':
      return ['servers'];
    case 'vscode-settings':
      return ['mcp', 'servers'];
    case 'claude-desktop':
    case 'mcpServers':
    case 'claude-code':
      return ['mcpServers'];
  }
}
