import { describe, expect, it } from 'vitest';
import { validateServerInput } from './server-config';

describe('validateServerInput', () => {
  it('fills defaults for a minimal server', () => {
    const r = validateServerInput({ name: 'everything', command: 'npx', args: ['-y', 'x'] });
    expect(r.ok && r.value).toMatchObject({
      mode: 'isolated',
      host: '127.0.0.1',
      autostart: false,
      env: [],
      restart: { enabled: true, initialDelayMs: 1000, maxDelayMs: 60000 },
      limits: { maxProcesses: 16, maxSessions: 100 },
    });
  });

  it('names each bad field with a message a user can act on', () => {
    const r = validateServerInput({
      name: ' ',
      command: '',
      port: 70000,
      env: [
        { key: '1BAD', value: 'x' },
        { key: 'A', value: '1' },
        { key: 'A', value: '2' },
      ],
      allowedOrigins: ['not a url'],
    });
    expect(r.ok).toBe(false);
    const fields = !r.ok ? Object.fromEntries(r.errors.map((e) => [e.field, e.message])) : {};
    expect(fields['name']).toBe('Give the server a name');
    expect(fields['command']).toMatch(/Enter the command/);
    expect(fields['port']).toBe('Ports run from 1 to 65535');
    expect(fields['env.0.key']).toMatch(/letters, digits/);
    expect(fields['env.2.key']).toBe('A is set twice');
    expect(fields['allowedOrigins.0']).toMatch(/full origin/);
  });
});
