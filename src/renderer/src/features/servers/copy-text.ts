import { api } from '../../api/api';
import { shellCapabilities } from '../../shell';

/** Copies through the main process on the desktop (no clipboard permission needed), else the browser's. */
export async function copyText(text: string): Promise<boolean> {
  if (shellCapabilities().systemClipboard) return (await api.call('clipboard.write', { text })).ok;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
