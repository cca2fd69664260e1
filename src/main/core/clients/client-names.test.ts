import { describe, expect, it } from 'vitest';
import { clientServerName, slugName } from './client-names';

describe('clientServerName', () => {
  it('keeps letters, digits, - and _; turns runs of anything else into one dash', () => {
    expect(slugName('github')).toBe('github');
    expect(slugName('My Server 1.0')).toBe('My-Server-1-0');
    expect(slugName('@scope/pkg  (dev)')).toBe('scope-pkg-dev');
    expect(slugName('my_db')).toBe('my_db');
  });

  it('drops accents instead of the letters, and falls back to "patchbay" when nothing is left', () => {
    expect(slugName('Café Données')).toBe('Cafe-Donnees');
    expect(slugName('日本')).toBe('patchbay');
    expect(slugName('...')).toBe('patchbay');
  });

  it('caps the length so the client tool prefixes stay under the models’ 64-character limit', () => {
    const long = slugName('a'.repeat(40) + ' b');
    expect(long).toHaveLength(32);
    expect(slugName('x'.repeat(31) + ' y')).toBe('x'.repeat(31));
  });

  it('Claude Code, Codex and the rest: the slug (what `claude mcp add` and Codex accept)', () => {
    for (const client of [
      'claude-code',
      'codex',
      'cursor',
      'windsurf',
      'zed',
      'cline',
      'claude-desktop',
    ] as const) {
      expect(clientServerName(client, 'My Server')).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(clientServerName(client, 'My Server')).toBe('My-Server');
    }
  });

  it('Gemini CLI: no underscores (its policy engine splits tool names on them)', () => {
    expect(clientServerName('gemini-cli', 'my_db__tools')).toBe('my-db-tools');
    expect(clientServerName('gemini-cli', '_')).toBe('patchbay');
  });

  it('VS Code: camelCase, as its naming conventions ask', () => {
    expect(clientServerName('vscode', 'github')).toBe('github');
    expect(clientServerName('vscode', 'My Server')).toBe('myServer');
    expect(clientServerName('vscode', 'ui-testing_tools')).toBe('uiTestingTools');
    expect(clientServerName('vscode', 'GitHub Tools')).toBe('gitHubTools');
  });
});
