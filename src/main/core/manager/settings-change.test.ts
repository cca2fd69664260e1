import type { ServerConfig } from '@shared/server-config';
import { describe, expect, it } from 'vitest';
import { restartReasons } from './settings-change';

const base: ServerConfig = {
  id: 'a',
  name: 'fs',
  command: 'npx',
  args: ['-y', 'fs'],
  env: [{ key: 'A', value: '1', secret: false }],
  host: '127.0.0.1',
  port: 7301,
  mode: 'isolated',
  autostart: false,
  allowedOrigins: [],
  restart: { enabled: true, initialDelayMs: 1000, maxDelayMs: 60_000 },
  limits: { maxProcesses: 16, maxSessions: 100, idleTimeoutMs: 1_800_000, maxBodyBytes: 4_194_304 },
  createdAt: 0,
  updatedAt: 0,
} as unknown as ServerConfig;

describe('restartReasons', () => {
  it('applies name, autostart, origins, token, restart policy and limits live', () => {
    const after = {
      ...base,
      name: 'files',
      autostart: true,
      allowedOrigins: ['https://app.example'],
      token: 'a-new-token',
      restart: { ...base.restart, initialDelayMs: 500 },
      limits: { ...base.limits, maxSessions: 10, maxProcesses: 4 },
    } as ServerConfig;
    expect(restartReasons(base, after)).toEqual([]);
  });
  it('names what needs a restart', () => {
    expect(restartReasons(base, { ...base, args: ['-y', 'fs', '/tmp'] })).toEqual(['command']);
    expect(restartReasons(base, { ...base, env: [{ key: 'A', value: '2', secret: false }] })).toEqual([
      'environment',
    ]);
    expect(restartReasons(base, { ...base, env: [{ key: 'A', value: '1', secret: true }] })).toEqual([
      'environment',
    ]);
    expect(restartReasons(base, { ...base, cwd: '/tmp', mode: 'shared', port: 7302 })).toEqual([
      'folder',
      'mode',
      'port',
    ]);
  });
});
