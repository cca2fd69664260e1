import { homedir } from 'node:os';
import {
  type ClientSnippet,
  type ClientStatus,
  type ConnectServer,
  type ConnectUrls,
  type FileClientId,
  type WriteResult,
  withKey,
} from '@shared/connect';
import { SECRET_MASK, type ServerConfig } from '@shared/server-config';
import { serverUrls } from '@shared/server-url';
import { clientStatuses } from '../clients/client-status';
import { addToClient, removeFromClient } from '../clients/config-writers';
import { clientSnippets } from '../clients/snippets';
import { assertSecretsOpen } from './config-views';

/**
 * The client-connections domain: how AI clients reach a server (its URLs, key included),
 * what to paste into each, and the server's entry in their config files.
 */
export class ClientConnections {
  constructor(
    /** The stored server by id (NotFound otherwise). */
    private readonly config: (id: string) => ServerConfig,
    /** Whose AI-client config files to read and write. */
    private readonly home: string | undefined,
  ) {}

  /**
   * The URLs that work pasted as-is into any client: with `?key=…` when the server has a key.
   * Kept out of `ServerStatus` (broadcast often); the UI asks for them when copying.
   */
  connectUrls(id: string): ConnectUrls {
    const server = this.connectServer(id, true);
    return { url: withKey(server.url, server.token), sseUrl: withKey(server.sseUrl!, server.token) };
  }

  /**
   * What to paste or run in each AI client. `revealToken` is for the main process only
   * (e.g. copying to the clipboard): the UI gets the token masked.
   */
  clientSnippets(id: string, options: { revealToken?: boolean } = {}): ClientSnippet[] {
    const server = this.connectServer(id, options.revealToken);
    if (server.token && !options.revealToken) server.token = SECRET_MASK;
    return clientSnippets(server);
  }

  /** Writes the server into a client's config file (backup kept, other entries untouched). */
  addToClient(id: string, client: FileClientId, force = false): Promise<WriteResult> {
    return addToClient(client, this.connectServer(id, true), { ...this.locations(), force });
  }

  removeFromClient(id: string, client: FileClientId): Promise<WriteResult> {
    return removeFromClient(client, this.connectServer(id), this.locations());
  }

  /** Whether each client has the server, and whether its URL there is current. */
  clientStatuses(id: string, cwd?: string): Promise<ClientStatus[]> {
    return clientStatuses(this.connectServer(id), { ...this.locations(), ...(cwd ? { cwd } : {}) });
  }

  /**
   * How clients reach a server: its stable URL (running or not) and its token. `withToken`:
   * the real key is handed out, so it must be one this shell can open.
   */
  private connectServer(id: string, withToken = false): ConnectServer {
    const c = this.config(id);
    if (withToken && c.token !== undefined) assertSecretsOpen({ ...c, env: [] }, 'give the key of');
    const { url, sseUrl } = serverUrls(c.host, c.port);
    return { name: c.name, url, sseUrl, ...(c.token ? { token: c.token } : {}) };
  }

  private locations() {
    return { platform: process.platform, home: this.home ?? homedir(), env: process.env };
  }
}
