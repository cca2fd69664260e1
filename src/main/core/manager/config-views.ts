import {
  SECRET_MASK,
  type ServerConfig,
  type ServerConfigView,
  type ServerSettings,
} from '@shared/server-config';

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
