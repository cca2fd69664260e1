import { ErrorCode, PatchbayError } from '../../errors';
import type { ClientConnections } from '../../manager/client-connections';
import type { SomeHandlers } from './types';

/** The client-connections domain: the URLs to paste, per-client snippets, client config files. */
export function connectHandlers(c: ClientConnections, clipboard: ((text: string) => unknown) | undefined) {
  return {
    'servers.connectUrls': (a) => c.connectUrls(a.id),
    'connect.snippets': (a) => c.clientSnippets(a.id),
    'connect.copy': async (a) => {
      if (!clipboard) throw new PatchbayError(ErrorCode.Unsupported, 'No system clipboard in this shell');
      const snippet = c.clientSnippets(a.id, { revealToken: true }).find((s) => s.client === a.client);
      const item = snippet?.items[a.item];
      if (!item) throw new PatchbayError(ErrorCode.NotFound, 'No such snippet');
      await clipboard(item.kind === 'link' ? item.url : item.text);
      return null;
    },
    'connect.add': (a) => c.addToClient(a.id, a.client, a.force ?? false),
    'connect.remove': (a) => c.removeFromClient(a.id, a.client),
    'connect.status': (a) => c.clientStatuses(a.id, a.cwd),
  } satisfies SomeHandlers;
}
