import type { ServerStatus } from '@shared/status';
import { describe, expect, it } from 'vitest';
import {
  agoText,
  crashSummary,
  lastActivityAt,
  primaryAction,
  restartCountdown,
  shownStatus,
} from './status-text';

const status = (s: Partial<ServerStatus> & { state: ServerStatus['state'] }): ServerStatus => ({
  id: 'a',
  sessions: [],
  ...s,
});

describe('status texts', () => {
  it('names the one Start/Stop button by what it will do', () => {
    expect(primaryAction(undefined, undefined)).toEqual({ label: 'Start', action: 'start' });
    expect(primaryAction(undefined, 'start')).toEqual({ label: 'Starting…', action: undefined });
    const running = status({ state: { status: 'running', since: 0 }, url: 'http://x/mcp' });
    expect(primaryAction(running, undefined)).toEqual({ label: 'Stop', action: 'stop' });
    expect(primaryAction(running, 'stop')).toEqual({ label: 'Stopping…', action: undefined });
    expect(
      primaryAction(status({ state: { status: 'starting', since: 0 }, url: 'u' }), undefined).action,
    ).toBe(undefined);
    // Crashed, waiting to restart on its port: the thing to do is stop it.
    const crashed = status({ state: { status: 'crashed', since: 0, restartAt: 5 }, url: 'u' });
    expect(primaryAction(crashed, undefined)).toEqual({ label: 'Stop', action: 'stop' });
    // A start that failed (port taken) left nothing up.
    const failed = status({
      state: { status: 'stopped', since: 0 },
      error: { code: 'port_in_use', message: 'm' },
    });
    expect(primaryAction(failed, undefined)).toEqual({ label: 'Start', action: 'start' });
  });

  it('counts down to the next restart', () => {
    expect(restartCountdown(undefined, 0)).toBeUndefined();
    expect(restartCountdown(10_000, 7_100)).toBe('restarting in 3 s');
    expect(restartCountdown(10_000, 10_000)).toBe('restarting now');
    expect(restartCountdown(10_000, 12_000)).toBe('restarting now');
  });

  it('says why a server crashed, and what happens next', () => {
    const crashed = status({
      state: { status: 'crashed', since: 0, reason: 'MCP server exited with code 3', restartAt: 2_000 },
    });
    expect(crashSummary(crashed, 0)).toBe('MCP server exited with code 3 — restarting in 2 s');
    const off = status({ state: { status: 'crashed', since: 0, reason: 'boom' } });
    expect(crashSummary(off, 0)).toBe('boom — restarts are off');
    expect(crashSummary(status({ state: { status: 'running', since: 0 } }), 0)).toBeUndefined();
  });

  it('says how long ago, coarsely', () => {
    expect(agoText(1000, 3000)).toBe('just now');
    expect(agoText(0, 12_000)).toBe('12 s ago');
    expect(agoText(0, 4 * 60_000 + 5000)).toBe('4 min ago');
    expect(agoText(0, 3 * 3_600_000)).toBe('3 h ago');
    expect(agoText(0, 50 * 3_600_000)).toBe('2 d ago');
    expect(agoText(5000, 0)).toBe('just now');
  });

  it('finds the latest activity across sessions', () => {
    const session = (lastActivityAt: number) => ({
      id: 's',
      since: 0,
      lastActivityAt,
      requests: 1,
      pending: 0,
      revivals: 0,
    });
    expect(lastActivityAt(undefined)).toBeUndefined();
    expect(
      lastActivityAt(
        status({ state: { status: 'running', since: 0 }, sessions: [session(5), session(9), session(2)] }),
      ),
    ).toBe(9);
  });
});

describe('shownStatus', () => {
  it('reads crashing through the restarts of a server that cannot stay up, never running', () => {
    for (const st of ['crashed', 'starting', 'running'] as const)
      expect(shownStatus(status({ state: { status: st, since: 0, unstable: true } }))).toBe('crashing');
    expect(shownStatus(status({ state: { status: 'running', since: 0 } }))).toBe('running');
    expect(shownStatus(status({ state: { status: 'crashed', since: 0, attempt: 1 } }))).toBe('crashed');
    expect(shownStatus(status({ state: { status: 'stopping', since: 0, unstable: true } }))).toBe('stopping');
    expect(shownStatus(undefined)).toBe('stopped');
  });
});
