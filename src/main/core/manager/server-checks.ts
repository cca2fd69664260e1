import { randomBytes } from 'node:crypto';
import {
  KEY_BY_DEFAULT,
  type ServerConfig,
  type ServerInput,
  type ServerSettings,
  validateServerInput,
} from '@shared/server-config';
import { ErrorCode, PatchbayError } from '../errors';
import { isPortFree } from '../ports';

/** The settings of valid input; invalid input throws InvalidArgument with its field errors. */
export function validSettings(input: ServerInput): ServerSettings {
  const result = validateServerInput(input);
  if (!result.ok) {
    const first = result.errors[0]!;
    throw new PatchbayError(ErrorCode.InvalidArgument, `${first.field}: ${first.message}`, {
      data: result.errors,
    });
  }
  return result.value;
}

/** Whether a server has `name` already (names are unique, case aside). */
export function nameTaken(servers: readonly ServerConfig[], name: string): boolean {
  return servers.some((s) => s.name.toLowerCase() === name.toLowerCase());
}

/** Refuses a name another server has, as AlreadyExists on the `name` field. */
export function assertNameFree(servers: readonly ServerConfig[], name: string): void {
  if (nameTaken(servers, name)) {
    throw new PatchbayError(ErrorCode.AlreadyExists, `A server named "${name}" exists already`, {
      data: [{ field: 'name', message: 'This name is taken' }],
    });
  }
}

/**
 * Refuses a port that Patchbay's own listener holds (`reserved`: port → who), another server
 * has (`taken`), or another program listens on, as PortInUse on the `port` field.
 */
export async function assertPortUsable(
  port: number,
  host: string,
  taken: ReadonlySet<number>,
  reserved: ReadonlyMap<number, string>,
): Promise<void> {
  const holder = reserved.get(port);
  if (holder !== undefined) {
    throw new PatchbayError(
      ErrorCode.PortInUse,
      `Port ${port} is taken: ${holder} uses it. Pick another port.`,
      {
        data: [{ field: 'port', message: `${holder} uses this port` }],
      },
    );
  }
  if (taken.has(port)) {
    throw new PatchbayError(ErrorCode.PortInUse, `Port ${port} belongs to another server`, {
      data: [{ field: 'port', message: 'Another server has this port' }],
    });
  }
  if (!(await isPortFree(port, host))) {
    throw new PatchbayError(
      ErrorCode.PortInUse,
      `Port ${port} is used by another program. Pick another port.`,
      {
        data: [{ field: 'port', message: 'Used by another program' }],
      },
    );
  }
}

/**
 * Applies "Require a key": a server that should have one and has none gets a random key
 * (32 bytes, base64url), kept for its life so its URLs stay stable; `requireKey` itself is
 * not stored (the token is the state).
 */
export function withKeyChoice(settings: ServerSettings, previous: ServerConfig | undefined): ServerSettings {
  const { requireKey, ...rest } = settings;
  const wanted = requireKey ?? (previous === undefined ? KEY_BY_DEFAULT : false);
  if (wanted && rest.token === undefined) rest.token = randomBytes(32).toString('base64url');
  return rest;
}
