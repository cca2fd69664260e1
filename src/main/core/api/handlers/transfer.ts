import { parsePastedConfig } from '../../clients/import/parse-pasted-config';
import type { ConfigTransfer } from '../../manager/config-transfer';
import type { SomeHandlers } from './types';

/** The config-transfer domain: export/import files, and servers found in or pasted from AI clients. */
export function transferHandlers(t: ConfigTransfer) {
  return {
    'clients.scan': (a) => t.scanClients(a.cwd ? { cwd: a.cwd } : {}),
    'clients.import': (a) => t.importFromClients(a.entries),
    'clients.parse': (a) => parsePastedConfig(a.text),
    'config.export': () => t.exportJson(),
    'config.import': (a) => t.importJson(a.text),
  } satisfies SomeHandlers;
}
