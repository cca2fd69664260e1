import { z } from 'zod';

/**
 * The one definition of a server's settings, shared by the engine (validation before
 * storing) and the renderer (inline validation in the form).
 */

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u;

export const EnvVarSchema = z.object({
  key: z.string().regex(ENV_KEY, 'Use letters, digits and _, not starting with a digit'),
  /** Absent on a secret coming back from the UI: keep the stored value. */
  value: z.string().optional(),
  secret: z.boolean().default(false),
});

export const RestartPolicySchema = z.object({
  enabled: z.boolean().default(true),
  initialDelayMs: z.number().int().min(100).max(600_000).default(1000),
  maxDelayMs: z.number().int().min(100).max(3_600_000).default(60_000),
});

export const LimitsSchema = z.object({
  maxProcesses: z.number().int().min(1).max(512).default(16),
  maxSessions: z.number().int().min(1).max(10_000).default(100),
  idleTimeoutMs: z
    .number()
    .int()
    .min(1000)
    .default(30 * 60_000),
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(4 * 1024 * 1024),
});

export const ServerInputSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'Give the server a name')
      .max(64, 'Keep the name under 64 characters')
      .regex(NAME, 'Use letters, digits, spaces, dots, dashes and underscores'),
    command: z.string().trim().min(1, 'Enter the command that starts the server (e.g. npx)'),
    args: z.array(z.string()).default([]),
    env: z.array(EnvVarSchema).default([]),
    cwd: z.string().trim().min(1).optional(),
    /** Assigned (a free port) when absent, then kept for life. */
    port: z
      .number()
      .int()
      .min(1, 'Ports run from 1 to 65535')
      .max(65535, 'Ports run from 1 to 65535')
      .optional(),
    host: z.string().trim().min(1).default('127.0.0.1'),
    mode: z.enum(['isolated', 'shared']).default('isolated'),
    autostart: z.boolean().default(false),
    restart: RestartPolicySchema.default({ enabled: true, initialDelayMs: 1000, maxDelayMs: 60_000 }),
    /** Bearer token clients must send; stored encrypted. Absent: keep the stored one. */
    token: z.string().min(8, 'Use at least 8 characters').optional(),
    /**
     * With no token given or stored: true makes a random key, false leaves the server open to
     * any local program. Absent: KEY_BY_DEFAULT for a new server, as stored for an edit.
     */
    requireKey: z.boolean().optional(),
    allowedOrigins: z.array(z.url('Give a full origin, e.g. https://app.example')).default([]),
    limits: LimitsSchema.default({
      maxProcesses: 16,
      maxSessions: 100,
      idleTimeoutMs: 30 * 60_000,
      maxBodyBytes: 4 * 1024 * 1024,
    }),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.env.forEach((v, i) => {
      if (seen.has(v.key))
        ctx.addIssue({ code: 'custom', path: ['env', i, 'key'], message: `${v.key} is set twice` });
      seen.add(v.key);
    });
    if (s.restart.maxDelayMs < s.restart.initialDelayMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['restart', 'maxDelayMs'],
        message: 'Must be at least the first delay',
      });
    }
  });

export type ServerInput = z.input<typeof ServerInputSchema>;
export type ServerSettings = z.output<typeof ServerInputSchema>;
export type EnvVar = z.output<typeof EnvVarSchema>;

/** A stored server as the engine holds it (secrets in clear: never sent to the UI). */
export interface ServerConfig extends Omit<ServerSettings, 'port'> {
  id: string;
  port: number;
  createdAt: number;
  updatedAt: number;
}

/**
 * Whether a new server requires a key (its token, sent as `Authorization: Bearer` or
 * `?key=`) unless told otherwise: any local program could otherwise drive its server.
 */
export const KEY_BY_DEFAULT = true;

/** The mask shown instead of a secret value. */
export const SECRET_MASK = '••••••••';

/** A server as the UI sees it: secret values masked, the token only as "set or not". */
export interface ServerConfigView extends Omit<ServerConfig, 'token'> {
  hasToken: boolean;
}

/** One validation problem, by dotted field path (`env.0.key`), for inline form errors. */
export interface FieldError {
  field: string;
  message: string;
}

/** Validates input; returns the settings or the field-level errors. */
export function validateServerInput(
  input: unknown,
): { ok: true; value: ServerSettings } | { ok: false; errors: FieldError[] } {
  const result = ServerInputSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  // One message per field, the first: the form shows one line under each input.
  const errors = new Map<string, string>();
  for (const issue of result.error.issues) {
    const field = issue.path.join('.');
    if (!errors.has(field)) errors.set(field, issue.message);
  }
  return { ok: false, errors: [...errors].map(([field, message]) => ({ field, message })) };
}
