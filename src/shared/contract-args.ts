import { z } from 'zod';
import type { ArgsOf, CommandName } from './contract';
import type { FieldError, ServerInput } from './server-config';
import { ServerInputSchema } from './server-config';

/**
 * The zod schema of every contract command's arguments, checked where commands enter the
 * engine (the API hub), so a bad call is `invalid_argument` naming its fields, never a
 * TypeError inside. The type check at the bottom keeps these and `contract.ts` in step.
 */

const id = z.string().min(1, 'Give the server id');
const text = z.string();
const withId = <S extends z.ZodRawShape>(shape: S) => z.object({ id, ...shape });
const object = z.record(z.string(), z.unknown());
/** Commands without arguments ignore whatever comes (the bindings send undefined or nothing). */
const noArgs = z.custom<void>(() => true);
/** A server's settings: their fields are checked by the server schema, with the form's field names. */
const serverInput = z.custom<ServerInput>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'Expected the server settings object',
);

const resume = { afterSeq: z.number().int().min(0).optional(), run: z.string().optional() };

const leg = z.enum(['client→proxy', 'proxy→server', 'server→proxy', 'proxy→client']);
const frameKind = z.enum([
  'request',
  'notification',
  'response',
  'error',
  'noise',
  'keepalive',
  'endpoint',
  'priming',
  'note',
]);
const frameQuery = z.object({
  afterSeq: z.number().int().min(0).optional(),
  limit: z.number().int().min(0).optional(),
  sessionId: z.string().optional(),
  leg: leg.optional(),
  kind: frameKind.optional(),
  method: z.string().optional(),
  text: z.string().optional(),
});

const fileClient = z.enum([
  'claude-code',
  'cursor',
  'vscode',
  'windsurf',
  'gemini-cli',
  'codex',
  'zed',
  'cline',
  'claude-desktop',
]);
const connectClient = z.enum([...fileClient.options, 'generic']);

const importedServer = z.object({
  name: z.string(),
  command: z.string(),
  args: z.array(z.string()),
  env: z.record(z.string(), z.string()),
  cwd: z.string().optional(),
  source: z.object({
    client: z.enum(['claude-desktop', 'cursor', 'vscode', 'windsurf', 'claude-code']),
    path: z.string(),
    project: z.string().optional(),
  }),
  warnings: z.array(z.string()),
});

const frameHistorySettings = z.object({
  enabled: z.boolean(),
  maxFrames: z.number().int().min(1),
  maxAgeMs: z.number().int().min(1),
});

const serverAnswer = z.union([
  z.object({ result: object }),
  z.object({ error: z.object({ code: z.number().int(), message: z.string() }) }),
]);

export const commandArgs = {
  'servers.list': noArgs,
  'servers.get': withId({}),
  'servers.create': ServerInputSchema,
  'servers.update': withId({
    input: serverInput,
    removeToken: z.boolean().optional(),
    restart: z.boolean().optional(),
  }),
  'servers.delete': withId({}),
  'servers.duplicate': withId({}),
  'servers.start': withId({}),
  'servers.stop': withId({}),
  'servers.restart': withId({}),
  'servers.startAll': noArgs,
  'servers.stopAll': noArgs,
  'servers.status': withId({}),
  'servers.statuses': noArgs,
  'servers.connectUrls': withId({}),
  'logs.subscribe': withId(resume),
  'logs.unsubscribe': withId({}),
  'logs.clear': withId({}),
  'frames.query': withId({ query: frameQuery.optional(), history: z.boolean().optional() }),
  'frames.subscribe': withId(resume),
  'frames.unsubscribe': withId({}),
  'frames.clear': withId({}),
  'sessions.end': withId({ sessionId: z.string().min(1) }),
  'clients.scan': z.object({ cwd: z.string().optional() }),
  'clients.import': z.object({ entries: z.array(importedServer) }),
  'clients.parse': z.object({ text }),
  'connect.snippets': withId({}),
  'connect.copy': withId({ client: connectClient, item: z.number().int().min(0) }),
  'connect.add': withId({ client: fileClient, force: z.boolean().optional() }),
  'connect.remove': withId({ client: fileClient }),
  'connect.status': withId({ cwd: z.string().optional() }),
  'config.export': noArgs,
  'config.import': z.object({ text }),
  'settings.frameHistory': noArgs,
  'settings.setFrameHistory': frameHistorySettings,
  'settings.closeToTray': noArgs,
  'settings.setCloseToTray': z.object({ enabled: z.boolean() }),
  'dialog.pickDirectory': z.object({ defaultPath: z.string().optional() }),
  'clipboard.write': z.object({ text }),
  'tools.catalog': withId({}),
  'tools.call': withId({ name: z.string().min(1), args: object, savedId: z.string().optional() }),
  'tools.cancel': withId({ callId: z.string() }),
  'tools.answer': withId({ requestId: z.string(), answer: serverAnswer }),
  'tools.saved': withId({}),
  'tools.save': withId({ name: z.string().min(1), tool: z.string().min(1), args: object }),
  'tools.deleteSaved': withId({ savedId: z.string() }),
} satisfies { [C in CommandName]: z.ZodType };

/**
 * Checks a command's arguments: undefined when they fit, else one error per field (the first
 * problem of each, by dotted path; `''` for the arguments as a whole).
 */
export function argumentErrors(name: CommandName, args: unknown): FieldError[] | undefined {
  const result = (commandArgs[name] as z.ZodType).safeParse(args);
  if (result.success) return undefined;
  const errors = new Map<string, string>();
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.');
    if (!errors.has(field)) errors.set(field, issue.message);
  }
  return [...errors].map(([field, message]) => ({ field, message }));
}

// A schema that accepts other arguments than the contract declares fails to compile here,
// naming the command: each schema's input type must be the contract's argument type.
type Flat<T> = T extends object ? { [K in keyof T]: T[K] } : T;
type Same<A, B> =
  (<T>() => T extends Flat<A> ? 1 : 2) extends <T>() => T extends Flat<B> ? 1 : 2 ? true : false;
type Drifted = {
  [C in CommandName]: Same<z.input<(typeof commandArgs)[C]>, ArgsOf<C>> extends true ? never : C;
}[CommandName];
const inStep: [Drifted] extends [never] ? true : Drifted = true;
void inStep;
