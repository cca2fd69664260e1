import {
  SECRET_MASK,
  type ServerConfig,
  type ServerConfigView,
  type ServerSettings,
} from '@shared/server-config';
import { ErrorCode, PatchbayError } from '../errors';
import { isSealed } from '../store/server-store';

/** A server as the UI may see it: secret values masked, the token reduced to "set". */
export function toView(c: ServerConfig): ServerConfigView {
  const { token, ...rest } = c;
  return {
    ...rest,
    env: c.env.map((e) => (e.secret ? { key: e.key, value: SECRET_MASK, secret: true } : e)),
    hasToken: token !== undefined,
  };
}

/**
 * Applies edited settings over the stored ones: a secret sent back without a value (or
 * with the mask) keeps its stored value; an absent token keeps the stored token.
 */
export function mergeSecrets(
  next: ServerSettings,
  previous: ServerConfig | undefined,
  removeToken = false,
): ServerSettings {
  const env = next.env.map((e) => {
    if (!e.secret || (e.value !== undefined && e.value !== SECRET_MASK)) return e;
    const old = previous?.env.find((p) => p.key === e.key);
    return { ...e, value: old?.value ?? '' };
  });
  const merged: ServerSettings = { ...next, env };
  if (removeToken) delete merged.token;
  else if (merged.token === undefined && previous?.token !== undefined) merged.token = previous.token;
  return merged;
}

/** The secrets of a server this shell cannot open, by name: env keys, and "its key". */
export function sealedSecrets(c: ServerConfig): string[] {
  const names = c.env.filter((e) => e.secret && isSealed(e.value)).map((e) => e.key);
  if (isSealed(c.token)) names.push('its key');
  return names;
}

/** Refuses to use a server whose secrets another shell sealed: saying which, and what to do. */
export function assertSecretsOpen(c: ServerConfig, doing: string): void {
  const sealed = sealedSecrets(c);
  if (sealed.length === 0) return;
  throw new PatchbayError(
    ErrorCode.Sealed,
    `Cannot ${doing} "${c.name}": ${sealed.join(', ')} ${sealed.length === 1 ? 'was' : 'were'} saved by ` +
      `another Patchbay (the desktop app's OS keychain) and cannot be opened here. Use it from ` +
      `there, or enter ${sealed.length === 1 ? 'it' : 'them'} again in Edit.`,
    { data: { sealed } },
  );
}

/** The secret values of a server, for redaction in frames and logs. */
export function secretValues(c: ServerConfig): string[] {
  const values = c.env.filter((e) => e.secret && e.value).map((e) => e.value!);
  // The legacy endpoint event carries the key URL-encoded (`&key=…`).
  if (c.token) values.push(c.token, encodeURIComponent(c.token));
  return values;
}

/** Patchbay's own export format: settings without any secret value. */
export interface ExportFile {
  patchbay: 1;
  servers: (Omit<ServerSettings, 'token'> & { port: number })[];
}

export function toExport(servers: ServerConfig[]): ExportFile {
  return {
    patchbay: 1,
    servers: servers.map((c) => {
      const { id: _id, createdAt: _c, updatedAt: _u, token: _t, ...settings } = c;
      return { ...settings, env: settings.env.map((e) => (e.secret ? { key: e.key, secret: true } : e)) };
    }),
  };
}
