import type { ServerConfig } from '@shared/server-config';
import type { Db } from './database';
import type { SecretCipher } from './secret-cipher';

interface Row {
  id: string;
  name: string;
  port: number;
  settings: string;
  running: number;
  created_at: number;
  updated_at: number;
}

const TOKEN = 'token';
const envSecret = (key: string) => `env:${key}`;

/**
 * A secret this shell cannot open (another shell sealed it, e.g. the app's OS keychain seen
 * from `patchbay serve`) stands in the config as this prefix + its sealed bytes: it is kept
 * exactly on every save, never used, and the server refuses to start until it is re-entered.
 */
const SEALED = '\u0000sealed:';

/** Whether a secret value is one this shell could not open (see SEALED). */
export function isSealed(value: string | undefined): boolean {
  return value?.startsWith(SEALED) === true;
}

/**
 * Servers on disk. Secret values (env vars marked secret, the token) live encrypted in
 * their own table; the settings JSON never holds them. Every write is one transaction.
 */
export class ServerStore {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly cipher: SecretCipher,
  ) {
    this.stmts = {
      all: db.prepare<[], Row>('SELECT * FROM servers ORDER BY position, created_at'),
      one: db.prepare<[string], Row>('SELECT * FROM servers WHERE id = ?'),
      secrets: db.prepare<[string], { name: string; value: Buffer }>(
        'SELECT name, value FROM secrets WHERE server_id = ?',
      ),
      insert: db.prepare(
        `INSERT INTO servers (id, name, port, settings, running, position, created_at, updated_at)
         VALUES (@id, @name, @port, @settings, 0, (SELECT COALESCE(MAX(position), 0) + 1 FROM servers), @createdAt, @updatedAt)`,
      ),
      update: db.prepare(
        'UPDATE servers SET name = @name, port = @port, settings = @settings, updated_at = @updatedAt WHERE id = @id',
      ),
      delete: db.prepare<[string]>('DELETE FROM servers WHERE id = ?'),
      clearSecrets: db.prepare<[string]>('DELETE FROM secrets WHERE server_id = ?'),
      putSecret: db.prepare<[string, string, Buffer]>(
        'INSERT INTO secrets (server_id, name, value) VALUES (?, ?, ?)',
      ),
      running: db.prepare<[number, string]>('UPDATE servers SET running = ? WHERE id = ?'),
      runningIds: db.prepare<[], { id: string }>('SELECT id FROM servers WHERE running = 1'),
    };
  }

  list(): ServerConfig[] {
    return this.stmts.all.all().map((r) => this.fromRow(r));
  }

  get(id: string): ServerConfig | undefined {
    const row = this.stmts.one.get(id);
    return row ? this.fromRow(row) : undefined;
  }

  insert(config: ServerConfig): void {
    this.db.transaction(() => {
      this.stmts.insert.run(this.toRow(config));
      this.writeSecrets(config);
    })();
  }

  update(config: ServerConfig): void {
    this.db.transaction(() => {
      this.stmts.update.run(this.toRow(config));
      this.stmts.clearSecrets.run(config.id);
      this.writeSecrets(config);
    })();
  }

  delete(id: string): void {
    this.stmts.delete.run(id);
  }

  /** Remembers whether the user left it running, for restore on the next launch. */
  setRunning(id: string, running: boolean): void {
    this.stmts.running.run(running ? 1 : 0, id);
  }

  runningIds(): string[] {
    return this.stmts.runningIds.all().map((r) => r.id);
  }

  private toRow(c: ServerConfig) {
    const { id, name, port, createdAt, updatedAt, token: _token, ...rest } = c;
    // Secret values never reach the settings JSON.
    const settings = { ...rest, env: rest.env.map((e) => (e.secret ? { key: e.key, secret: true } : e)) };
    return { id, name, port, settings: JSON.stringify(settings), createdAt, updatedAt };
  }

  private writeSecrets(c: ServerConfig): void {
    for (const e of c.env) {
      if (e.secret && e.value !== undefined)
        this.stmts.putSecret.run(c.id, envSecret(e.key), this.seal(e.value));
    }
    if (c.token !== undefined) this.stmts.putSecret.run(c.id, TOKEN, this.seal(c.token));
  }

  private seal(value: string): Buffer {
    return isSealed(value) ? Buffer.from(value.slice(SEALED.length), 'base64') : this.cipher.encrypt(value);
  }

  private open(sealed: Buffer): string {
    try {
      return this.cipher.decrypt(sealed);
    } catch {
      return SEALED + sealed.toString('base64');
    }
  }

  private fromRow(r: Row): ServerConfig {
    const settings = JSON.parse(r.settings) as Omit<
      ServerConfig,
      'id' | 'name' | 'port' | 'createdAt' | 'updatedAt'
    >;
    const secrets = new Map(this.stmts.secrets.all(r.id).map((s) => [s.name, this.open(s.value)]));
    const config: ServerConfig = {
      ...settings,
      env: settings.env.map((e) => (e.secret ? { ...e, value: secrets.get(envSecret(e.key)) ?? '' } : e)),
      id: r.id,
      name: r.name,
      port: r.port,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
    const token = secrets.get(TOKEN);
    if (token !== undefined) config.token = token;
    else delete config.token;
    return config;
  }
}
