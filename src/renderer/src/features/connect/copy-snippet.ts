import type { ConnectClientId, SnippetItem } from '@shared/connect';
import { SECRET_MASK } from '@shared/server-config';
import { api } from '../../api/api';
import { shellCapabilities } from '../../shell';
import { toast } from '../../ui/toast';
import { copyText } from '../servers/copy-text';
import { hasMaskedToken, shownText } from './client-state';

/**
 * Copies one snippet item. A shell with a system clipboard copies through the main process with
 * the real token; otherwise the browser's clipboard gets the text with the server's key (from
 * `servers.connectUrls`) in place of the mask, and the toast says so if some mask is left.
 */
export async function copySnippetItem(
  serverId: string,
  client: ConnectClientId,
  index: number,
  item: SnippetItem,
): Promise<void> {
  if (shellCapabilities().systemClipboard) {
    const result = await api.call('connect.copy', { id: serverId, client, item: index });
    return result.ok ? toast('Copied') : toast(`Copy failed: ${result.error.message}`, 'error');
  }
  const text = await unmasked(serverId, shownText(item));
  if (!(await copyText(text))) {
    return toast('Copy failed: the clipboard is not available here. Select the text and copy it.', 'error');
  }
  toast(
    hasMaskedToken(text)
      ? 'Copied, but the token is masked (••••••••): put the server’s token in its place'
      : 'Copied',
  );
}

/** The text with the masked key replaced by the real one, which the capability URL carries. */
async function unmasked(serverId: string, text: string): Promise<string> {
  if (!hasMaskedToken(text)) return text;
  const urls = await api.call('servers.connectUrls', { id: serverId });
  const key = urls.ok ? new URL(urls.value.url).searchParams.get('key') : null;
  if (key === null) return text;
  return text
    .split(`key=${SECRET_MASK}`)
    .join(`key=${encodeURIComponent(key)}`)
    .split(SECRET_MASK)
    .join(key);
}
