import { describe, expect, it } from 'vitest';
import {
  type Held,
  HeldMessages,
  MAX_RESTART_WAIT_MS,
  READY_BOUND_MS,
  holdDeadline,
  unavailableReason,
} from './held-messages';

const msg = (id: number) => ({ jsonrpc: '2.0' as const, id, method: 'tools/list' });

describe('HeldMessages', () => {
  it('refuses past its bound and gives back everything in arrival order', () => {
    const held = new HeldMessages<string>(2, () => {});
    const far = Date.now() + 60_000;
    expect(held.hold({ session: 'a', msg: msg(1), raw: '1', deadline: far })).toBe(true);
    expect(held.hold({ session: 'b', msg: msg(2), raw: '2', deadline: far })).toBe(true);
    expect(held.hold({ session: 'a', msg: msg(3), raw: '3', deadline: far })).toBe(false);
    expect(held.take((h) => h.session === 'b').map((h) => h.raw)).toEqual(['2']);
    expect(held.hold({ session: 'a', msg: msg(3), raw: '3', deadline: far })).toBe(true);
    expect(held.drain().map((h) => h.raw)).toEqual(['1', '3']);
    expect(held.size).toBe(0);
  });

  it('hands over what passed its deadline, and only that', async () => {
    const expired: Held<string>[] = [];
    const held = new HeldMessages<string>(10, (items) => expired.push(...items));
    held.hold({ session: 'a', msg: msg(1), raw: 'late', deadline: Date.now() + 60_000 });
    held.hold({ session: 'a', msg: msg(2), raw: 'soon', deadline: Date.now() + 20 });
    const deadline = Date.now() + 5000;
    while (expired.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(expired.map((h) => h.raw)).toEqual(['soon']);
    expect(held.drain().map((h) => h.raw)).toEqual(['late']);
  });
});

describe('holdDeadline', () => {
  const now = 1_000_000;
  it('waits for a start under way, or a restart due soon, up to a bound', () => {
    expect(holdDeadline({ status: 'starting' }, now)).toBe(now + READY_BOUND_MS);
    expect(holdDeadline({ status: 'running', pid: 1, since: now }, now)).toBe(now + READY_BOUND_MS);
    const soon = {
      status: 'crashed' as const,
      reason: 'was killed by SIGKILL',
      attempt: 1,
      restartAt: now + 500,
    };
    expect(holdDeadline(soon, now)).toBe(now + 500 + READY_BOUND_MS);
    expect(unavailableReason(soon, now)).toBeUndefined();
  });

  it('says at once why a message cannot wait', () => {
    const off = { status: 'crashed' as const, reason: 'exited with code 1', attempt: 1 };
    expect(holdDeadline(off, now)).toBe('The MCP server crashed (exited with code 1); restarts are off');
    const late = { ...off, restartAt: now + MAX_RESTART_WAIT_MS + 5000 };
    expect(holdDeadline(late, now)).toMatch(/restarts it in 15 s$/);
    expect(holdDeadline({ status: 'stopped' }, now)).toBe('The MCP server is stopped');
  });
});
