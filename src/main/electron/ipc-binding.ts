import { type ApiResult, IPC } from '@shared/contract';
import { ErrorCode } from '@shared/error-codes';
import type { ApiConnection, ApiHub } from '../core/api/api-hub';

/** The parts of Electron's ipcMain / webContents the binding uses (real ones fit; tests pass fakes). */
export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
  /** A reload (or a crash and reload) starts a new page: the old page's streams must end. */
  on(event: 'did-start-loading', listener: () => void): unknown;
}
export interface IpcEventLike {
  readonly sender: WebContentsLike;
  readonly senderFrame: { readonly url: string } | null;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/**
 * The contract over Electron IPC: one `invoke` channel for every command, one channel for
 * every event, both named in the contract. Each page gets its own connection (its own
 * subscriptions), closed when the window closes or the page reloads. Only frames showing our renderer may call.
 */
export function bindIpc(ipcMain: IpcMainLike, hub: ApiHub, isTrusted: (url: string) => boolean): () => void {
  const connections = new Map<number, ApiConnection>();

  const connectionOf = (contents: WebContentsLike): ApiConnection => {
    let conn = connections.get(contents.id);
    if (!conn) {
      conn = hub.connect((name, payload) => contents.send(IPC.event, name, payload));
      connections.set(contents.id, conn);
      const end = () => {
        connections.get(contents.id)?.close();
        connections.delete(contents.id);
      };
      contents.once('destroyed', end);
      contents.on('did-start-loading', end);
    }
    return conn;
  };

  ipcMain.handle(IPC.call, async (event, name, args): Promise<ApiResult<unknown>> => {
    const url = event.senderFrame?.url;
    if (url === undefined || !isTrusted(url)) {
      return {
        ok: false,
        error: { code: ErrorCode.Forbidden, message: 'This frame may not use the Patchbay API' },
      };
    }
    return connectionOf(event.sender).call(name, args);
  });

  return () => {
    ipcMain.removeHandler(IPC.call);
    for (const c of connections.values()) c.close();
    connections.clear();
  };
}
