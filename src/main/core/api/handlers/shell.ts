import { ErrorCode, PatchbayError } from '../../errors';
import type { ApiHubOptions } from '../api-hub';
import type { SomeHandlers } from './types';

/** What the hosting shell offers (desktop only): the system clipboard and folder dialog. */
export function shellHandlers({ clipboard, pickDirectory }: ApiHubOptions) {
  return {
    'dialog.pickDirectory': (a) => {
      if (!pickDirectory) throw new PatchbayError(ErrorCode.Unsupported, 'No folder dialog in this shell');
      return pickDirectory(a.defaultPath);
    },
    'clipboard.write': async (a) => {
      if (!clipboard) throw new PatchbayError(ErrorCode.Unsupported, 'No system clipboard in this shell');
      await clipboard(a.text);
      return null;
    },
  } satisfies SomeHandlers;
}
