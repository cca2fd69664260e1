// @vitest-environment happy-dom
import type { Frame } from '@shared/frames';
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { InspectorToolbar } from './InspectorToolbar';
import { connectFrames, frameIndex, framesStore, publish } from './frames-store';
import { clearFilter, inspectorStore, resetView, setQuickFilter } from './inspector-store';
import { frame, toolCall } from './test-frames';

// The desktop shell's bridge, so `api` (imported by the stores) talks to this fake, not a WebSocket.
const shell = vi.hoisted(() => {
  const call = vi.fn((_name: string, _args: unknown): Promise<unknown> =>
    Promise.resolve({ ok: false, error: { code: 'internal', message: 'not answered in this test' } }),
  );
  window.patchbay = { kind: 'electron', platform: 'linux', call: call as never, onEvent: () => () => {} };
  return { call };
});

// Wired as main.tsx wires it: the stores talk to the engine through this fake only.
connectFrames(
  { call: shell.call as never, on: () => () => {}, onReconnect: () => () => {} } as never,
  createStore(() => ({ statuses: {} })),
);

const SESSION_B = 'b2c00000-0000-4000-8000-000000000002';

/** One user's tools/call, an error in another session, and Patchbay's own probe. */
function traffic(): Frame[] {
  return [
    ...toolCall(1, 1),
    frame(5, { kind: 'error', method: undefined, rpcId: 9, sessionId: SESSION_B, leg: 'server→proxy' }),
    frame(6, { kind: 'request', method: 'tools/list', rpcId: 'probe', by: 'patchbay', leg: 'proxy→server' }),
  ];
}

beforeEach(() => {
  shell.call.mockClear();
  frameIndex.reset();
  resetView();
  clearFilter();
  setQuickFilter({ showKeepalives: false, showOwn: false });
  framesStore.setState({ serverId: 'srv', error: undefined });
  act(() => {
    frameIndex.append(traffic());
    publish();
  });
});
afterEach(cleanup);

function renderToolbar() {
  const user = userEvent.setup();
  render(<InspectorToolbar serverId="srv" serverName="notes" filterRef={null} />);
  return user;
}

const count = () => screen.getByTestId('frame-count').textContent;

describe('InspectorToolbar', () => {
  it('counts what the list shows out of what is held (own traffic hidden by default)', () => {
    renderToolbar();
    expect(count()).toBe('5 of 6 frames');
  });

  it('narrows the list as the user types a query, and says what it could not read', async () => {
    const user = renderToolbar();
    const box = screen.getByRole('searchbox', { name: 'Filter frames' });
    await user.type(box, 'method:tools/call');
    expect(inspectorStore.getState().filterText).toBe('method:tools/call');
    // The view is rebuilt when typing pauses: the call's four frames (answers included), not the error.
    await vi.waitFor(() => expect(count()).toBe('4 of 6 frames'));
    expect(box.getAttribute('aria-invalid')).toBe('false');

    await user.clear(box);
    await user.type(box, 'leg:sideways');
    await vi.waitFor(() => expect(box.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText(/Unknown leg "sideways"/)).toBeTruthy();
  });

  it('filters by kind and by session from the quick selects, and back to all', async () => {
    const user = renderToolbar();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Kind' }), 'error');
    expect(inspectorStore.getState().kind).toBe('error');
    expect(count()).toBe('1 of 6 frames');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Kind' }), 'All kinds');
    const sessions = screen.getByRole('combobox', { name: 'Session' });
    // Every session seen is offered, by its short id.
    expect(screen.getAllByRole('option', { name: /^b2c/ })).toHaveLength(1);
    await user.selectOptions(sessions, SESSION_B);
    expect(inspectorStore.getState()).toMatchObject({ kind: undefined, session: SESSION_B });
    expect(count()).toBe('1 of 6 frames');
    await user.selectOptions(sessions, 'All sessions');
    expect(count()).toBe('5 of 6 frames');
  });

  it("shows Patchbay's own traffic only when asked", async () => {
    const user = renderToolbar();
    const own = screen.getByRole('checkbox', { name: "Show Patchbay's own traffic" });
    expect(own).toHaveProperty('checked', false);
    await user.click(own);
    expect(own).toHaveProperty('checked', true);
    expect(inspectorStore.getState().showOwn).toBe(true);
    expect(count()).toBe('6 frames');
    await user.click(own);
    expect(count()).toBe('5 of 6 frames');
  });

  it('pauses and counts what arrives meanwhile', async () => {
    const user = renderToolbar();
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    act(() => {
      frameIndex.append(toolCall(7, 2));
      publish();
    });
    expect(screen.getByRole('status').textContent).toContain('4 new');
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    expect(screen.queryByRole('status')).toBeNull();
    expect(count()).toBe('9 of 10 frames');
  });

  it('clears the frames in the engine and here', async () => {
    shell.call.mockResolvedValueOnce({ ok: true, value: undefined });
    const user = renderToolbar();
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    expect(shell.call).toHaveBeenCalledWith('frames.clear', { id: 'srv' });
    await vi.waitFor(() => expect(count()).toBe('0 frames'));
    expect(screen.getByRole('button', { name: 'Export NDJSON' })).toHaveProperty('disabled', true);
  });

  it('keeps the frames and says why when the engine cannot clear them', async () => {
    shell.call.mockResolvedValueOnce({ ok: false, error: { code: 'internal', message: 'store is closed' } });
    const user = renderToolbar();
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    await vi.waitFor(() => expect(framesStore.getState().error).toMatch(/store is closed/));
    expect(count()).toBe('5 of 6 frames');
    // Clear can be tried again.
    expect(screen.getByRole('button', { name: 'Clear' })).toHaveProperty('disabled', false);
  });
});
