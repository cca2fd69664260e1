import type { ClientStatus } from '@shared/connect';
import { describe, expect, it } from 'vitest';
import { clientsToUpdate, urlChangeText } from './url-change';

const status = (client: ClientStatus['client'], state: ClientStatus['state']): ClientStatus => ({
  client,
  label: client,
  path: `/home/me/${client}.json`,
  state,
  entries: [],
  errors: [],
});

describe('a URL change and the client configs', () => {
  it('updates only the configs that have this server with the old URL', () => {
    const all = [
      status('cursor', 'stale'),
      status('claude-code', 'registered'),
      status('windsurf', 'name-taken'),
      status('vscode', 'stale'),
      status('gemini-cli', 'unreadable'),
    ];
    expect(clientsToUpdate(all).map((s) => s.client)).toEqual(['cursor', 'vscode']);
  });

  it('offers "Update N client configs", and says when there are none', () => {
    expect(urlChangeText(2)).toEqual({
      message: 'The URL changed. 2 client configs still point at the old one.',
      button: 'Update 2 client configs',
    });
    expect(urlChangeText(1).button).toBe('Update 1 client config');
    expect(urlChangeText(0).button).toBeUndefined();
    expect(urlChangeText(0).message).toContain('none needs updating');
  });
});
