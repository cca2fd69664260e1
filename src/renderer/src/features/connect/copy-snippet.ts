import type { ConnectClientId, SnippetItem } from '@shared/connect';
import { api } from '../../api/api';
import { toast } from '../../ui/toast';
import { copyText } from '../servers/copy-text';
import { hasMaskedToken, shownText } from './client-state';

/**
 * Copies one snippet item. The desktop copies through the main process with the real token;
 * the browser shell has no access to it (invalid_argument), so it copies the text as shown
 * and says when that text holds the masked token.
 */
export async function copySnippetItem(
  serverId: string,
  client: ConnectClientId,
  index: number,
  item: SnippetItem,
): Promise<void> {
  if (window.patchbay) {
    const result = await api.call('connect.copy', { id: serverId, client, item: index });
    if (result.ok) return toast('Copied');
    if (result.error.code !== 'invalid_argument') {
      return toast(`Copy failed: ${result.error.message}`, 'error');
    }
  }
  const text = shownText(item);
  if (!(await copyText(text))) {
    return toast('Copy failed: the clipboard is not available here. Select the text and copy it.', 'error');
  }
  toast(
    hasMaskedToken(text)
      ? 'Copied, but the token is masked (••••••••): put the server’s token in its place'
      : 'Copied',
  );
}
