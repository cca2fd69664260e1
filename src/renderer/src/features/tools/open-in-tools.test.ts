import { describe, expect, it } from 'vitest';
import { openInTools, openInToolsStore, takeToolCall, toolCallOf } from './open-in-tools';

describe('Open in Tools', () => {
  it('reads a captured tools/call request, and nothing else', () => {
    const call = {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'echo', arguments: { message: 'hi' } },
    };
    expect(toolCallOf(call)).toEqual({ name: 'echo', args: { message: 'hi' } });
    expect(toolCallOf({ ...call, params: { name: 'echo' } })).toEqual({ name: 'echo', args: {} });
    expect(toolCallOf({ ...call, method: 'tools/list' })).toBeUndefined();
    expect(toolCallOf({ jsonrpc: '2.0', id: 7, result: {} })).toBeUndefined();
    expect(toolCallOf({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'x' } })).toBeUndefined(); // no id
    expect(toolCallOf('garbage')).toBeUndefined();
  });

  it('is taken once, by the server it was opened for', () => {
    openInTools('a', { name: 'echo', args: {} });
    expect(takeToolCall('b')).toBeUndefined();
    expect(takeToolCall('a')).toMatchObject({ serverId: 'a', name: 'echo', n: 1 });
    expect(takeToolCall('a')).toBeUndefined();
    expect(openInToolsStore.getState().request).toBeUndefined();
  });
});
