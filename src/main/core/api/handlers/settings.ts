import type { AppSettings } from '../../manager/app-settings';
import type { SomeHandlers } from './types';

/** The app-settings domain: frame history on disk, close to tray. */
export function settingsHandlers(s: AppSettings) {
  return {
    'settings.frameHistory': () => s.frameHistorySettings(),
    'settings.setFrameHistory': (a) => {
      s.setFrameHistory(a);
      return null;
    },
    'settings.closeToTray': () => s.closeToTray(),
    'settings.setCloseToTray': (a) => {
      s.setCloseToTray(a.enabled);
      return null;
    },
  } satisfies SomeHandlers;
}
