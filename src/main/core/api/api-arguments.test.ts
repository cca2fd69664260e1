import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { type CommandName, commands } from '@shared/contract';
import { argumentErrors } from '@shared/contract-args';
import type { ServerManager } from '../manager/server-manager';
import { ApiHub } from './api-hub';

const id = 'srv-1';

/**
 * Per command: arguments a client might get wrong, and the field that must be named (`''` for
 * the arguments as a whole), then arguments that fit. `null` marks a command without arguments.
 */
const table: Record<CommandName, { bad: unknown; field: string; good: unknown } | null> = {
  'servers.list': null,
  'servers.get': { bad: { id: 7 }, field: 'id', good: { id } },
  'servers.create': {
    bad: { name: 'x', command: 'node', args: 'a b' },
    field: 'args',
    good: { name: 'x', command: 'node' },
  },
  'servers.update': {
    bad: { id, input: 'name=x' },
    field: 'input',
    good: { id, input: { name: 'x', command: 'node' } },
  },
  'servers.delete': { bad: {}, field: 'id', good: { id } },
  'servers.duplicate': { bad: { id: '' }, field: 'id', good: { id } },
  'servers.start': { bad: { id: null }, field: 'id', good: { id } },
  'servers.stop': { bad: undefined, field: '', good: { id } },
  'servers.restart': { bad: 'srv-1', field: '', good: { id } },
  'servers.startAll': null,
  'servers.stopAll': null,
  'servers.status': { bad: { id: ['srv-1'] }, field: 'id', good: { id } },
  'servers.statuses': null,
  'servers.connectUrls': { bad: { id: {} }, field: 'id', good: { id } },
  'logs.subscribe': { bad: { id, afterSeq: -1 }, field: 'afterSeq', good: { id, afterSeq: 3, run: 'r' } },
  'logs.unsubscribe': { bad: { ID: id }, field: 'id', good: { id } },
  'logs.clear': { bad: { id: 1 }, field: 'id', good: { id } },
  'frames.query': {
    bad: { id, query: { leg: 'sideways' } },
    field: 'query.leg',
    good: { id, query: { kind: 'request' } },
  },
  'frames.subscribe': { bad: { id, run: 5 }, field: 'run', good: { id } },
  'frames.unsubscribe': { bad: null, field: '', good: { id } },
  'frames.clear': { bad: { id: false }, field: 'id', good: { id } },
  'sessions.end': { bad: { id }, field: 'sessionId', good: { id, sessionId: 's' } },
  'clients.scan': { bad: { cwd: 1 }, field: 'cwd', good: {} },
  'clients.import': { bad: { entries: [{ name: 'x' }] }, field: 'entries.0.command', good: { entries: [] } },
  'clients.parse': { bad: { text: { a: 1 } }, field: 'text', good: { text: '{}' } },
  'connect.snippets': { bad: [], field: '', good: { id } },
  'connect.copy': {
    bad: { id, client: 'cursor', item: 1.5 },
    field: 'item',
    good: { id, client: 'generic', item: 0 },
  },
  'connect.add': {
    bad: { id, client: 'generic' },
    field: 'client',
    good: { id, client: 'cursor', force: true },
  },
  'connect.remove': { bad: { id, client: 'notepad' }, field: 'client', good: { id, client: 'codex' } },
  'connect.status': { bad: { id, cwd: ['/'] }, field: 'cwd', good: { id, cwd: '/tmp' } },
  'config.export': null,
  'config.import': { bad: { text: undefined }, field: 'text', good: { text: '{}' } },
  'settings.frameHistory': null,
  'settings.setFrameHistory': {
    bad: { enabled: true, maxFrames: '1000', maxAgeMs: 1 },
    field: 'maxFrames',
    good: { enabled: true, maxFrames: 1000, maxAgeMs: 3_600_000 },
  },
  'settings.closeToTray': null,
  'settings.setCloseToTray': { bad: { enabled: 'yes' }, field: 'enabled', good: { enabled: false } },
  'dialog.pickDirectory': { bad: { defaultPath: 3 }, field: 'defaultPath', good: {} },
  'clipboard.write': { bad: {}, field: 'text', good: { text: 'x' } },
  'tools.catalog': { bad: { id: 1 }, field: 'id', good: { id } },
  'tools.call': { bad: { id, name: 'echo', args: [] }, field: 'args', good: { id, name: 'echo', args: {} } },
  'tools.cancel': { bad: { id }, field: 'callId', good: { id, callId: 'c' } },
  'tools.answer': {
    bad: { id, requestId: 'r', answer: { ok: 1 } },
    field: 'answer',
    good: { id, requestId: 'r', answer: { result: {} } },
  },
  'tools.saved': { bad: { id: 2 }, field: 'id', good: { id } },
  'tools.save': {
    bad: { id, name: 'n', tool: '', args: {} },
    field: 'tool',
    good: { id, name: 'n', tool: 't', args: {} },
  },
  'tools.deleteSaved': { bad: { id, savedId: 9 }, field: 'savedId', good: { id, savedId: 's' } },
};

describe('contract argument schemas', () => {
  it('cover every command of the contract', () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(commands).sort());
  });

  const withArgs = Object.entries(table).filter(([, c]) => c !== null) as [
    CommandName,
    { bad: unknown; field: string; good: unknown },
  ][];

  it.each(withArgs)('%s: malformed arguments name the field; fitting ones pass', (name, c) => {
    expect(argumentErrors(name, c.good)).toBeUndefined();
    const errors = argumentErrors(name, c.bad);
    expect(errors?.map((e) => e.field)).toContain(c.field);
    for (const e of errors ?? []) expect(e.message).not.toBe('');
  });

  it.each(Object.keys(table).filter((n) => table[n as CommandName] === null))(
    '%s: takes no arguments, so whatever comes is ignored',
    (name) => {
      for (const args of [undefined, null, {}])
        expect(argumentErrors(name as CommandName, args)).toBeUndefined();
    },
  );
});

describe('the API hub', () => {
  // Bad arguments are answered before any handler runs: a manager with nothing behind it will do.
  const manager = Object.assign(new EventEmitter(), {
    runtime: () => undefined,
  }) as unknown as ServerManager;

  it('answers every malformed call with invalid_argument naming the field, never reaching the engine', async () => {
    const hub = new ApiHub(manager);
    const conn = hub.connect(() => {});
    try {
      for (const [name, c] of Object.entries(table)) {
        if (c === null) continue;
        const result = await conn.call(name, c.bad);
        expect(result.ok, name).toBe(false);
        if (result.ok) continue;
        expect(result.error.code, name).toBe('invalid_argument');
        expect(
          result.error.fields?.map((f) => f.field),
          name,
        ).toContain(c.field);
        expect(result.error.message, name).not.toMatch(/TypeError|Cannot read/);
      }
    } finally {
      hub.close();
    }
  });
});
