import { joinCommandLine, splitCommandLine } from '@shared/command-line';
import type { PastedServer } from '@shared/imported-server';
import { nameFromCommand } from '@shared/server-name';
import {
  type FieldError,
  KEY_BY_DEFAULT,
  type ServerConfigView,
  type ServerInput,
  ServerInputSchema,
  validateServerInput,
} from '@shared/server-config';

/**
 * The server form as the user edits it: every input is text (or a flag), so a half-typed
 * port or an unclosed quote can be held and explained. `toServerInput` turns it into what
 * the engine takes; `formErrors` says what is wrong, keyed by the form's field names.
 */

export interface EnvRow {
  key: string;
  value: string;
  secret: boolean;
  /** Set on a secret the engine already stores: its value is not in the form, and is kept if untouched. */
  storedKey?: string;
}

/** With a token stored: keep it, replace it with `token`, or remove it. */
export type TokenAction = 'keep' | 'replace' | 'remove';

export interface ServerForm {
  name: string;
  commandLine: string;
  env: EnvRow[];
  cwd: string;
  /** Blank: a free port is picked (new server) or the current one kept (edit). */
  port: string;
  host: string;
  mode: 'isolated' | 'shared';
  hasToken: boolean;
  /** "Require a key": off leaves the server open to any local program (the token removed). */
  requireKey: boolean;
  tokenAction: TokenAction;
  token: string;
  /** One origin per line. */
  allowedOrigins: string;
  autostart: boolean;
  restartEnabled: boolean;
  restartInitialS: string;
  restartMaxS: string;
  maxProcesses: string;
  maxSessions: string;
  idleTimeoutS: string;
  maxBodyMb: string;
}

/** Field names used for errors: the form's own where it differs from ServerInput's. */
export const FIELD = {
  commandLine: 'commandLine',
  restartInitial: 'restart.initialDelayMs',
  restartMax: 'restart.maxDelayMs',
  maxProcesses: 'limits.maxProcesses',
  maxSessions: 'limits.maxSessions',
  idleTimeout: 'limits.idleTimeoutMs',
  maxBody: 'limits.maxBodyBytes',
} as const;

/** The fields inside the collapsed "Advanced" section (opened when one of them is wrong). */
export const ADVANCED_FIELDS: readonly string[] = [
  'token',
  'allowedOrigins',
  FIELD.restartInitial,
  FIELD.restartMax,
  FIELD.maxProcesses,
  FIELD.maxSessions,
  FIELD.idleTimeout,
  FIELD.maxBody,
];

// The schema's own defaults, so the form never disagrees with the engine about them.
const DEFAULTS = ServerInputSchema.parse({ name: 'x', command: 'x' });
const MB = 1024 * 1024;

// The schema speaks milliseconds and bytes; the form speaks seconds and MB. (The port needs
// no such message: the engine's own reason, e.g. "Patchbay's own window uses this port", shows.)
const UNIT_MESSAGES: Record<string, string> = {
  [FIELD.restartInitial]: 'Between 0.1 and 600 seconds',
  [FIELD.restartMax]: 'Between 0.1 and 3600 seconds, and at least the first delay',
  [FIELD.maxProcesses]: 'A whole number from 1 to 512',
  [FIELD.maxSessions]: 'A whole number from 1 to 10000',
  [FIELD.idleTimeout]: 'At least 1 second',
  [FIELD.maxBody]: 'Between 1 KB (0.001) and 256 MB',
};

const seconds = (ms: number) => String(ms / 1000);
const megabytes = (bytes: number) => String(Number((bytes / MB).toFixed(3)));

/**
 * The name a new server gets from its command line while the user has not named it: the
 * derived name follows the command until the user types one of their own.
 */
export function nameAfterCommandChange(form: ServerForm, commandLine: string): string {
  const previous = derivedName(form.commandLine);
  if (form.name.trim() !== '' && form.name !== previous) return form.name;
  return derivedName(commandLine) ?? '';
}

/** The name `nameFromCommand` gives a typed command line, or undefined while there is none. */
function derivedName(commandLine: string): string | undefined {
  const split = splitCommandLine(commandLine);
  if (!split.ok || split.words.length === 0) return undefined;
  const [command, ...args] = split.words;
  return nameFromCommand(command!, args);
}

export function emptyForm(): ServerForm {
  return {
    name: '',
    commandLine: '',
    env: [],
    cwd: '',
    port: '',
    host: DEFAULTS.host,
    mode: DEFAULTS.mode,
    hasToken: false,
    requireKey: KEY_BY_DEFAULT,
    tokenAction: 'keep',
    token: '',
    allowedOrigins: '',
    autostart: DEFAULTS.autostart,
    restartEnabled: DEFAULTS.restart.enabled,
    restartInitialS: seconds(DEFAULTS.restart.initialDelayMs),
    restartMaxS: seconds(DEFAULTS.restart.maxDelayMs),
    maxProcesses: String(DEFAULTS.limits.maxProcesses),
    maxSessions: String(DEFAULTS.limits.maxSessions),
    idleTimeoutS: seconds(DEFAULTS.limits.idleTimeoutMs),
    maxBodyMb: megabytes(DEFAULTS.limits.maxBodyBytes),
  };
}

/** A stored server, ready to edit: secrets come without their values. */
export function formFromView(v: ServerConfigView): ServerForm {
  return {
    name: v.name,
    commandLine: joinCommandLine([v.command, ...v.args]),
    env: v.env.map((e) =>
      e.secret
        ? { key: e.key, value: '', secret: true, storedKey: e.key }
        : { key: e.key, value: e.value ?? '', secret: false },
    ),
    cwd: v.cwd ?? '',
    port: String(v.port),
    host: v.host,
    mode: v.mode,
    hasToken: v.hasToken,
    requireKey: v.hasToken,
    tokenAction: 'keep',
    token: '',
    allowedOrigins: v.allowedOrigins.join('\n'),
    autostart: v.autostart,
    restartEnabled: v.restart.enabled,
    restartInitialS: seconds(v.restart.initialDelayMs),
    restartMaxS: seconds(v.restart.maxDelayMs),
    maxProcesses: String(v.limits.maxProcesses),
    maxSessions: String(v.limits.maxSessions),
    idleTimeoutS: seconds(v.limits.idleTimeoutMs),
    maxBodyMb: megabytes(v.limits.maxBodyBytes),
  };
}

/** Names that usually hold credentials start out as secrets. */
const SECRET_KEY = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|_KEY$|CREDENTIAL|AUTH/i;

/** A server read from a pasted config, as a new server's form. */
export function formFromPasted(p: PastedServer): ServerForm {
  return {
    ...emptyForm(),
    name: p.name,
    commandLine: joinCommandLine([p.command, ...p.args]),
    env: Object.entries(p.env).map(([key, value]) => ({ key, value, secret: SECRET_KEY.test(key) })),
    cwd: p.cwd ?? '',
  };
}

export interface FormInput {
  input: ServerInput;
  removeToken: boolean;
  /** What could not even be read (a bad number, an unclosed quote), by form field. */
  problems: Record<string, string>;
  /** Index maps from the input's arrays back to the form's rows/lines (blank ones are dropped). */
  envRows: number[];
  originLines: string[];
}

function numberField(
  text: string,
  field: string,
  problems: Record<string, string>,
  scale = 1,
): number | undefined {
  const t = text.trim();
  if (t === '') {
    problems[field] = 'Enter a number';
    return undefined;
  }
  const n = Number(t);
  if (!Number.isFinite(n)) {
    problems[field] = 'Enter a number';
    return undefined;
  }
  return scale === 1 ? n : Math.round(n * scale);
}

/** The form as the engine's input; anything unreadable is in `problems`. */
export function toServerInput(form: ServerForm): FormInput {
  const problems: Record<string, string> = {};

  const split = splitCommandLine(form.commandLine);
  if (!split.ok) problems[FIELD.commandLine] = split.error;
  const [command = '', ...args] = split.ok ? split.words : [];

  const env: NonNullable<ServerInput['env']> = [];
  const envRows: number[] = [];
  form.env.forEach((row, i) => {
    if (row.key.trim() === '' && row.value === '' && row.storedKey === undefined) return;
    const key = row.key.trim();
    if (row.storedKey !== undefined && row.value === '') {
      if (row.secret && key === row.storedKey) {
        env.push({ key, secret: true }); // no value: the engine keeps the stored one
        envRows.push(i);
        return;
      }
      problems[`env.${i}.value`] =
        'Type the value again: a stored secret stays only under its name, as a secret';
    }
    env.push({ key, value: row.value, secret: row.secret });
    envRows.push(i);
  });

  const originLines = form.allowedOrigins
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

  let port: number | undefined;
  if (form.port.trim() !== '') {
    port = Number(form.port.trim());
    if (!Number.isFinite(port)) {
      problems['port'] = 'Enter a number, or leave it blank';
      port = undefined;
    }
  }

  let token: string | undefined;
  let removeToken = false;
  if (!form.requireKey) {
    removeToken = form.hasToken;
  } else if (!form.hasToken) {
    // Blank: the engine makes a random key.
    if (form.token !== '') token = form.token;
  } else if (form.tokenAction === 'replace') {
    if (form.token === '') problems['token'] = 'Enter the new token';
    else token = form.token;
  } else if (form.tokenAction === 'remove') {
    removeToken = true;
  }

  const input: ServerInput = {
    name: form.name,
    command,
    args,
    env,
    host: form.host,
    mode: form.mode,
    autostart: form.autostart,
    allowedOrigins: originLines,
    restart: {
      enabled: form.restartEnabled,
      initialDelayMs: numberField(form.restartInitialS, FIELD.restartInitial, problems, 1000),
      maxDelayMs: numberField(form.restartMaxS, FIELD.restartMax, problems, 1000),
    },
    limits: {
      maxProcesses: numberField(form.maxProcesses, FIELD.maxProcesses, problems),
      maxSessions: numberField(form.maxSessions, FIELD.maxSessions, problems),
      idleTimeoutMs: numberField(form.idleTimeoutS, FIELD.idleTimeout, problems, 1000),
      maxBodyBytes: numberField(form.maxBodyMb, FIELD.maxBody, problems, MB),
    },
  };
  if (form.cwd.trim() !== '') input.cwd = form.cwd.trim();
  if (port !== undefined) input.port = port;
  if (token !== undefined) input.token = token;
  input.requireKey = form.requireKey && !removeToken;
  return { input, removeToken, problems, envRows, originLines };
}

/** Maps an engine/schema field path onto the form's field, with a message in the form's units. */
export function toFormErrors(
  errors: readonly FieldError[],
  maps: Pick<FormInput, 'envRows' | 'originLines'>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { field, message } of errors) {
    const parts = field.split('.');
    let key = field;
    let text = UNIT_MESSAGES[field] ?? message;
    if (parts[0] === 'command' || parts[0] === 'args') key = FIELD.commandLine;
    else if (parts[0] === 'env' && parts.length >= 2) {
      const row = maps.envRows[Number(parts[1])];
      key = `env.${row ?? parts[1]}.${parts[2] ?? 'key'}`;
    } else if (parts[0] === 'allowedOrigins') {
      key = 'allowedOrigins';
      const line = parts[1] === undefined ? undefined : maps.originLines[Number(parts[1])];
      if (line !== undefined) text = `${line}: ${message}`;
    } else if (parts[0] === 'restart' || parts[0] === 'limits') {
      key = parts.slice(0, 2).join('.');
      text = UNIT_MESSAGES[key] ?? message;
    }
    out[key] ??= text;
  }
  return out;
}

/** Everything wrong with the form now, one message per field. */
export function formErrors(form: ServerForm): Record<string, string> {
  const converted = toServerInput(form);
  const result = validateServerInput(converted.input);
  const schemaErrors = result.ok ? {} : toFormErrors(result.errors, converted);
  // What could not be read says more than what the schema made of the leftover.
  return { ...schemaErrors, ...converted.problems };
}
