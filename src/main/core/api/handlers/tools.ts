import { ErrorCode, PatchbayError } from '../../errors';
import type { Servers } from '../../manager/servers';
import type { SavedCallStore } from '../../store/saved-calls';
import type { ToolsService } from '../../tools/tools-service';
import type { SomeHandlers } from './types';

/** The tools domain: a running server's catalog, calls and their questions, saved calls. */
export function toolsHandlers(tools: ToolsService, saved: SavedCallStore, servers: Servers) {
  return {
    'tools.catalog': (a) => tools.catalog(a.id),
    'tools.call': (a) => {
      if (a.savedId !== undefined && saved.get(a.savedId)?.serverId !== a.id) {
        throw new PatchbayError(ErrorCode.NotFound, 'No such saved call');
      }
      return tools.call(a.id, a.name, a.args, a.savedId);
    },
    'tools.cancel': (a) => tools.cancel(a.id, a.callId),
    'tools.answer': (a) => tools.answer(a.id, a.requestId, a.answer),
    'tools.saved': (a) => saved.list(a.id),
    'tools.save': (a) => {
      servers.config(a.id); // the server exists
      return saved.save(a.id, a.name, a.tool, a.args);
    },
    'tools.deleteSaved': (a) => {
      if (saved.get(a.savedId)?.serverId === a.id) saved.delete(a.savedId);
      return null;
    },
  } satisfies SomeHandlers;
}
