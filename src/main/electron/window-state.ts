import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserWindow, type Rectangle, screen } from 'electron';

interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

/** The window's last bounds, if they still fit on a connected display. */
export function loadWindowState(dir: string): WindowState | undefined {
  try {
    const state = JSON.parse(readFileSync(join(dir, 'window-state.json'), 'utf8')) as WindowState;
    const visible = screen.getAllDisplays().some((d) => {
      const a = d.workArea;
      const b = state.bounds;
      return b.x < a.x + a.width && b.x + b.width > a.x && b.y < a.y + a.height && b.y + b.height > a.y;
    });
    return visible ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Remembers bounds and maximized state whenever the window closes. */
export function rememberWindowState(win: BrowserWindow, dir: string): void {
  win.on('close', () => {
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    try {
      writeFileSync(join(dir, 'window-state.json'), JSON.stringify(state));
    } catch {
      // Losing the window position is not worth bothering the user about.
    }
  });
}
