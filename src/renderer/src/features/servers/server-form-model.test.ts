import {
  KEY_BY_DEFAULT,
  SECRET_MASK,
  type ServerConfigView,
  validateServerInput,
} from '@shared/server-config';
import { describe, expect, it } from 'vitest';
import {
  emptyForm,
  formErrors,
  formFromPasted,
  formFromView,
  nameAfterCommandChange,
  toServerInput,
} from './server-form-model';

const view: ServerConfigView = {
  id: 's1',
  name: 'files',
  command: 'npx',
  args: ['-y', '@scope/server-fs', '/home/me/My Notes'],
  env: [
    { key: 'ROOT', value: '/tmp', secret: false },
    { key: 'API_TOKEN', value: SECRET_MASK, secret: true },
  ],
  cwd: '/work',
  port: 7301,
  host: '127.0.0.1',
  mode: 'shared',
  autostart: true,
  restart: { enabled: false, initialDelayMs: 500, maxDelayMs: 30_000 },
  allowedOrigins: ['https://a.example', 'https://b.example'],
  limits: { maxProcesses: 4, maxSessions: 50, idleTimeoutMs: 60_000, maxBodyBytes: 2 * 1024 * 1024 },
  hasToken: true,
  createdAt: 1,
  updatedAt: 2,
};

describe('the server form model', () => {
  it('turns a stored server into a form and back into the same settings', () => {
    const form = formFromView(view);
    expect(form.commandLine).toBe("npx -y @scope/server-fs '/home/me/My Notes'");
    expect(form.env[1]).toEqual({ key: 'API_TOKEN', value: '', secret: true, storedKey: 'API_TOKEN' });
    const { input, removeToken, problems } = toServerInput(form);
    expect(problems).toEqual({});
    expect(removeToken).toBe(false);
    expect(input).toEqual({
      name: 'files',
      command: 'npx',
      args: ['-y', '@scope/server-fs', '/home/me/My Notes'],
      // The untouched secret goes back without a value: the engine keeps the stored one.
      env: [
        { key: 'ROOT', value: '/tmp', secret: false },
        { key: 'API_TOKEN', secret: true },
      ],
      cwd: '/work',
      port: 7301,
      host: '127.0.0.1',
      mode: 'shared',
      autostart: true,
      allowedOrigins: ['https://a.example', 'https://b.example'],
      restart: { enabled: false, initialDelayMs: 500, maxDelayMs: 30_000 },
      limits: { maxProcesses: 4, maxSessions: 50, idleTimeoutMs: 60_000, maxBodyBytes: 2 * 1024 * 1024 },
      requireKey: true,
    });
    expect(formErrors(form)).toEqual({});
  });

  it('starts a new server with the schema defaults and no port', () => {
    const form = { ...emptyForm(), name: 'x', commandLine: 'node server.js' };
    const { input } = toServerInput(form);
    expect(input.port).toBeUndefined();
    expect(input.token).toBeUndefined();
    const parsed = validateServerInput(input);
    expect(parsed.ok && parsed.value.limits).toEqual({
      maxProcesses: 16,
      maxSessions: 100,
      idleTimeoutMs: 30 * 60_000,
      maxBodyBytes: 4 * 1024 * 1024,
    });
    expect(parsed.ok && parsed.value.restart).toEqual({
      enabled: true,
      initialDelayMs: 1000,
      maxDelayMs: 60_000,
    });
  });

  it('says what is wrong, one message per form field', () => {
    const errors = formErrors({ ...emptyForm(), commandLine: 'node "unclosed', port: '70000' });
    expect(errors['name']).toBe('Give the server a name');
    expect(errors['commandLine']).toBe('A double quote is not closed');
    expect(errors['port']).toBe('Ports run from 1 to 65535');
    expect(formErrors({ ...emptyForm(), name: 'ok', commandLine: '' })['commandLine']).toMatch(
      /Enter the command/,
    );
    expect(formErrors({ ...emptyForm(), name: 'ok', commandLine: 'x', port: 'abc' })['port']).toMatch(
      /Enter a number/,
    );
  });

  it('speaks the form units for limits and delays', () => {
    const errors = formErrors({
      ...emptyForm(),
      name: 'ok',
      commandLine: 'x',
      restartInitialS: '5',
      restartMaxS: '2',
      idleTimeoutS: '0.5',
      maxProcesses: '1.5',
      maxBodyMb: '',
    });
    expect(errors['limits.idleTimeoutMs']).toBe('At least 1 second');
    expect(errors['limits.maxProcesses']).toMatch(/whole number/);
    expect(errors['limits.maxBodyBytes']).toBe('Enter a number');
    // The schema checks the delays' order once the rest is valid.
    const delays = formErrors({
      ...emptyForm(),
      name: 'ok',
      commandLine: 'x',
      restartInitialS: '5',
      restartMaxS: '2',
    });
    expect(delays['restart.maxDelayMs']).toMatch(/at least the first delay/);
  });

  it('maps env and origin errors back to the rows and lines the user sees', () => {
    const form = {
      ...emptyForm(),
      name: 'ok',
      commandLine: 'x',
      env: [
        { key: '', value: '', secret: false }, // blank: dropped, but indices must still line up
        { key: 'A', value: '1', secret: false },
        { key: 'A', value: '2', secret: false },
        { key: '9bad', value: '', secret: false },
      ],
      allowedOrigins: 'https://ok.example\nnot an origin',
    };
    const errors = formErrors(form);
    expect(errors['env.2.key']).toBe('A is set twice');
    expect(errors['env.3.key']).toMatch(/letters, digits/);
    expect(errors['env.0.key']).toBeUndefined();
    expect(errors['allowedOrigins']).toMatch(/^not an origin: /);
  });

  it('asks for the value again when a stored secret is renamed or made visible', () => {
    const form = formFromView(view);
    const renamed = { ...form, env: [form.env[0]!, { ...form.env[1]!, key: 'OTHER' }] };
    expect(formErrors(renamed)['env.1.value']).toMatch(/Type the value again/);
    const visible = { ...form, env: [form.env[0]!, { ...form.env[1]!, secret: false }] };
    expect(formErrors(visible)['env.1.value']).toMatch(/Type the value again/);
    const replaced = { ...form, env: [form.env[0]!, { ...form.env[1]!, value: 'new' }] };
    expect(formErrors(replaced)).toEqual({});
    expect(toServerInput(replaced).input.env?.[1]).toEqual({ key: 'API_TOKEN', value: 'new', secret: true });
  });

  it('keeps, replaces or removes a stored token', () => {
    const form = formFromView(view);
    expect(toServerInput(form).input.token).toBeUndefined();
    expect(toServerInput({ ...form, tokenAction: 'remove' }).removeToken).toBe(true);
    expect(formErrors({ ...form, tokenAction: 'replace' })['token']).toBe('Enter the new token');
    expect(formErrors({ ...form, tokenAction: 'replace', token: 'short' })['token']).toMatch(/at least 8/);
    expect(toServerInput({ ...form, tokenAction: 'replace', token: 'long-enough' }).input.token).toBe(
      'long-enough',
    );
    expect(toServerInput({ ...emptyForm(), requireKey: true, token: 'fresh-token' }).input.token).toBe(
      'fresh-token',
    );
  });

  it('"Require a key": a new server asks for a random one (blank) or none; off removes a stored one', () => {
    expect(emptyForm().requireKey).toBe(KEY_BY_DEFAULT);
    const fresh = toServerInput({ ...emptyForm(), requireKey: true });
    expect(fresh.input.requireKey).toBe(true);
    expect(fresh.input.token).toBeUndefined();
    const open = toServerInput({ ...emptyForm(), requireKey: false, token: 'typed-then-off' });
    expect(open.input.requireKey).toBe(false);
    expect(open.input.token).toBeUndefined();
    const stored = formFromView(view);
    expect(stored.requireKey).toBe(true);
    const off = toServerInput({ ...stored, requireKey: false });
    expect(off.removeToken).toBe(true);
    expect(off.input.requireKey).toBe(false);
    expect(formFromView({ ...view, hasToken: false }).requireKey).toBe(false);
  });

  it('fills a new server from a pasted entry, guessing which variables are secrets', () => {
    const form = formFromPasted({
      name: 'github',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-github'],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_x', LOG_LEVEL: 'debug' },
      warnings: [],
    });
    expect(form.name).toBe('github');
    expect(form.commandLine).toBe('npx -y @modelcontextprotocol/server-github');
    expect(form.env).toEqual([
      { key: 'GITHUB_PERSONAL_ACCESS_TOKEN', value: 'ghp_x', secret: true },
      { key: 'LOG_LEVEL', value: 'debug', secret: false },
    ]);
    expect(form.port).toBe('');
  });
});

describe('nameAfterCommandChange', () => {
  it('derives the name from the command while the user has not named the server', () => {
    let form = emptyForm();
    const type = (line: string) => {
      form = { ...form, name: nameAfterCommandChange(form, line), commandLine: line };
    };
    type('npx');
    expect(form.name).toBe('npx');
    type('npx -y @modelcontextprotocol/server-everything@1.2');
    expect(form.name).toBe('everything');
    type('');
    expect(form.name).toBe('');
    type('uvx mcp-server-fetch');
    expect(form.name).toBe('fetch');
    // A name of the user's own stays.
    form = { ...form, name: 'my fetcher' };
    type('uvx mcp-server-time');
    expect(form.name).toBe('my fetcher');
  });
});
