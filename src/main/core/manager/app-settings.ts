import { DEFAULT_RETENTION, type FrameHistory, type FrameRetention } from '../store/frame-history';
import type { SettingsStore } from '../store/settings-store';
import type { RunningServers } from './running-servers';

/** Whether frames are also kept on disk, and for how long. */
export interface FrameHistorySettings extends FrameRetention {
  enabled: boolean;
}

/** The frame history settings as stored (off, with the default retention, until set). */
export function storedFrameHistory(store: SettingsStore): FrameHistorySettings {
  return store.get('frameHistory', { enabled: false, ...DEFAULT_RETENTION });
}

/** The app-settings domain: frame history on disk, and what closing the window does. */
export class AppSettings {
  constructor(
    private readonly store: SettingsStore,
    private readonly history: FrameHistory,
    private readonly running: RunningServers,
  ) {}

  frameHistorySettings(): FrameHistorySettings {
    return storedFrameHistory(this.store);
  }

  /** Turns disk history of frames on or off for every server, with its retention. */
  setFrameHistory(settings: FrameHistorySettings): void {
    this.store.set('frameHistory', settings);
    this.history.setRetention(settings);
    this.running.recordHistory(settings.enabled);
  }

  /** Whether closing the desktop window keeps the servers running in the tray (default on). */
  closeToTray(): boolean {
    return this.store.get('closeToTray', true);
  }

  setCloseToTray(enabled: boolean): void {
    this.store.set('closeToTray', enabled);
  }
}
