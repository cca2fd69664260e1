import { homedir } from 'node:os';
import type { ServerConfigView } from '@shared/server-config';
import type { ImportScan, ImportedServer } from '../clients/import/imported-server';
import { scanClientConfigs } from '../clients/import/scan-clients';
import { ErrorCode, PatchbayError } from '../errors';
import type { ServerStore } from '../store/server-store';
import { existingForScan, toServerInput } from './client-import';
import { type ExportFile, toExport } from './config-views';
import type { Servers } from './servers';

/**
 * The config-transfer domain: Patchbay's own export file out and in, and servers found in
 * the AI clients' config files on this machine brought in.
 */
export class ConfigTransfer {
  constructor(
    private readonly store: ServerStore,
    private readonly servers: Servers,
    /** Whose AI-client config files to read. */
    private readonly home: string | undefined,
  ) {}

  /** Every server's settings as an export file, without any secret value. */
  exportJson(): string {
    return JSON.stringify(toExport(this.store.list()), null, 2);
  }

  /** Adds the servers of an export; names that exist get a suffix, ports are assigned anew if taken. */
  async importJson(text: string): Promise<ServerConfigView[]> {
    let file: Partial<ExportFile> | null;
    try {
      file = JSON.parse(text) as Partial<ExportFile> | null;
    } catch {
      file = null;
    }
    const entriesOk = (servers: unknown): boolean =>
      Array.isArray(servers) && servers.every((s) => typeof s === 'object' && s !== null);
    if (file?.patchbay !== 1 || !entriesOk(file.servers)) {
      throw new PatchbayError(ErrorCode.InvalidArgument, 'This is not a Patchbay export file');
    }
    const added: ServerConfigView[] = [];
    const ports = new Set(this.store.list().map((s) => s.port));
    for (const s of file.servers!) {
      let name = s.name;
      for (let n = 2; this.servers.nameTaken(name); n++) name = `${s.name}-${n}`;
      // An import never starts anything on its own: autostart waits for the user's Start.
      const { port, autostart: _autostart, ...rest } = s;
      added.push(
        await this.servers.create({ ...rest, name, autostart: false, ...(ports.has(port) ? {} : { port }) }),
      );
    }
    return added;
  }

  /** What the AI clients on this machine have configured, minus what Patchbay has already. */
  scanClients(options: { cwd?: string; home?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ImportScan> {
    return scanClientConfigs({
      platform: process.platform,
      home: options.home ?? this.home ?? homedir(),
      env: options.env ?? process.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      existing: existingForScan(this.store.list()),
    });
  }

  /** Adds entries the user picked from `scanClients()`; names are cleaned and made unique. */
  async importFromClients(entries: readonly ImportedServer[]): Promise<ServerConfigView[]> {
    const taken = new Set(this.store.list().map((s) => s.name.toLowerCase()));
    const added: ServerConfigView[] = [];
    for (const entry of entries) added.push(await this.servers.create(toServerInput(entry, taken)));
    return added;
  }
}
