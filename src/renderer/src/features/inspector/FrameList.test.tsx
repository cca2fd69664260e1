// @vitest-environment happy-dom
import type { Frame } from '@shared/frames';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameList } from './FrameList';
import { frameIndex, publish } from './frames-store';
import { inspectorStore, resetView, select, setQuickFilter, togglePause } from './inspector-store';
import { frame } from './test-frames';
import { ROW_HEIGHT } from './virtual-rows';

// The desktop shell's bridge, so `api` (imported by the stores) talks to this fake, not a WebSocket.
vi.hoisted(() => {
  window.patchbay = {
    kind: 'electron',
    platform: 'linux',
    call: () =>
      Promise.resolve({ ok: false, error: { code: 'internal', message: 'not answered in this test' } }),
    onEvent: () => () => {},
  };
});

/** Rows the list has room for: happy-dom lays nothing out, so the grid is given a height. */
const VISIBLE = 10;
const GRID_HEIGHT = VISIBLE * ROW_HEIGHT + ROW_HEIGHT + 2; // + the sticky header
const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.getAttribute('role') === 'grid' ? GRID_HEIGHT : 0;
    },
  });
});
afterAll(() => {
  if (clientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', clientHeight);
});

beforeEach(() => {
  frameIndex.reset();
  resetView();
  setQuickFilter({ kind: undefined, showKeepalives: false, showOwn: false });
});
afterEach(cleanup);

/** Frames arriving from the engine, as the frames store hands them to the list. */
function arrive(frames: Frame[]): void {
  act(() => {
    frameIndex.append(frames);
    publish();
  });
}

function numbered(from: number, to: number): Frame[] {
  const out: Frame[] = [];
  for (let seq = from; seq <= to; seq++) out.push(frame(seq, { method: `tools/m${seq}` }));
  return out;
}

/** The data rows in the DOM, top to bottom, by the method each shows. */
function shownMethods(): string[] {
  const grid = screen.getByRole('grid', { name: 'Frames' });
  return within(grid)
    .getAllByRole('row')
    .filter((r) => r.hasAttribute('data-seq'))
    .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
    .map((r) => r.querySelector('.method')?.textContent ?? '');
}

/** The user scrolls the list to `top`. */
function scrollTo(top: number): void {
  const grid = screen.getByRole('grid', { name: 'Frames' });
  act(() => {
    grid.scrollTop = top;
    fireEvent.scroll(grid);
  });
}

describe('FrameList', () => {
  it('shows only its header while there are no frames, and no rows when the filter hides them all', () => {
    render(<FrameList />);
    const grid = screen.getByRole('grid', { name: 'Frames' });
    expect(within(grid).getAllByRole('row')).toHaveLength(1);
    expect(
      within(grid)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toContain('Method');
    expect(grid.getAttribute('aria-rowcount')).toBe('1');

    arrive(numbered(1, 3));
    expect(within(grid).getAllByRole('row')).toHaveLength(4);
    act(() => setQuickFilter({ kind: 'error' }));
    expect(within(grid).getAllByRole('row')).toHaveLength(1);
  });

  it('shows frames in the order they came, each with its cells', () => {
    render(<FrameList />);
    arrive([
      frame(1, { kind: 'request', method: 'initialize', rpcId: 0 }),
      frame(2, {
        kind: 'response',
        method: undefined,
        rpcId: 0,
        leg: 'proxy→client',
        latencyMs: 12,
        raw: '{"jsonrpc":"2.0","id":0,"result":{}}',
      }),
      frame(3, { method: 'notifications/initialized' }),
    ]);
    const grid = screen.getByRole('grid', { name: 'Frames' });
    expect(grid.getAttribute('aria-rowcount')).toBe('4');
    const rows = within(grid)
      .getAllByRole('row')
      .filter((r) => r.hasAttribute('data-seq'));
    expect(rows.map((r) => r.getAttribute('aria-rowindex'))).toEqual(['2', '3', '4']);
    expect(shownMethods()[0]).toBe('initialize');
    expect(shownMethods()[2]).toBe('notifications/initialized');
    // The response names the request it answers, and its latency.
    expect(
      within(rows[1]!)
        .getAllByRole('gridcell')
        .map((c) => c.textContent),
    ).toContain('12 ms');
    expect(rows[1]!.textContent).toContain('initialize');
  });

  it('selects a row on click and moves the selection with the arrow keys', async () => {
    const user = userEvent.setup();
    render(<FrameList />);
    arrive(numbered(1, 5));
    const grid = screen.getByRole('grid', { name: 'Frames' });

    await user.click(screen.getByText('tools/m3'));
    const selected = () => within(grid).getAllByRole('row', { selected: true });
    expect(selected().map((r) => r.getAttribute('data-seq'))).toEqual(['3']);
    expect(inspectorStore.getState()).toMatchObject({ selectedSeq: 3, detailOpen: true });
    expect(grid.getAttribute('aria-activedescendant')).toBe('frame-3');

    grid.focus();
    await user.keyboard('{ArrowDown}');
    expect(selected().map((r) => r.getAttribute('data-seq'))).toEqual(['4']);
    await user.keyboard('{Home}');
    expect(selected().map((r) => r.getAttribute('data-seq'))).toEqual(['1']);
    await user.keyboard('{End}');
    expect(inspectorStore.getState().selectedSeq).toBe(5);
  });

  it('scrolls a selection made elsewhere into view, and stays there as frames arrive', () => {
    render(<FrameList />);
    const grid = screen.getByRole('grid', { name: 'Frames' });
    arrive(numbered(1, 100));
    expect(shownMethods()).not.toContain('tools/m5');
    act(() => select(5, true)); // e.g. the timeline or the pair link
    expect(grid.scrollTop).toBe(4 * ROW_HEIGHT);
    // A browser fires `scroll` after scrollTop is set; happy-dom does not, so the test does.
    act(() => void fireEvent.scroll(grid));
    expect(shownMethods()).toContain('tools/m5');
    arrive(numbered(101, 110));
    expect(grid.scrollTop).toBe(4 * ROW_HEIGHT);
    expect(grid.getAttribute('aria-activedescendant')).toBe('frame-5');
  });

  it('follows the tail at the bottom, and holds the same frames in view once scrolled up', () => {
    render(<FrameList />);
    const grid = screen.getByRole('grid', { name: 'Frames' });
    arrive(numbered(1, 100));
    // Following: the newest frame is in the DOM and the list is scrolled to the end.
    expect(shownMethods()).toContain('tools/m100');
    expect(grid.scrollTop).toBe(100 * ROW_HEIGHT - VISIBLE * ROW_HEIGHT);
    arrive(numbered(101, 120));
    expect(shownMethods()).toContain('tools/m120');
    expect(grid.scrollTop).toBe(120 * ROW_HEIGHT - VISIBLE * ROW_HEIGHT);

    // Scrolled up to the top: new frames do not move the view.
    scrollTo(0);
    expect(shownMethods()[0]).toBe('tools/m1');
    arrive(numbered(121, 140));
    expect(grid.scrollTop).toBe(0);
    expect(shownMethods()[0]).toBe('tools/m1');
    expect(shownMethods()).not.toContain('tools/m140');

    // Back at the bottom: following again.
    scrollTo(140 * ROW_HEIGHT - VISIBLE * ROW_HEIGHT);
    arrive(numbered(141, 150));
    expect(shownMethods()).toContain('tools/m150');
    expect(grid.scrollTop).toBe(150 * ROW_HEIGHT - VISIBLE * ROW_HEIGHT);
  });

  it('stands still while paused and jumps to the live tail on resume', () => {
    render(<FrameList />);
    const grid = screen.getByRole('grid', { name: 'Frames' });
    arrive(numbered(1, 30));
    act(() => togglePause());
    arrive(numbered(31, 60));
    expect(grid.getAttribute('aria-rowcount')).toBe('31');
    expect(shownMethods()).toContain('tools/m30');
    expect(shownMethods()).not.toContain('tools/m31');

    act(() => togglePause());
    expect(grid.getAttribute('aria-rowcount')).toBe('61');
    expect(shownMethods()).toContain('tools/m60');
    expect(grid.scrollTop).toBe(60 * ROW_HEIGHT - VISIBLE * ROW_HEIGHT);
  });
});
