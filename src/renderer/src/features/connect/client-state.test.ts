import type { ClientState, WriteResult } from '@shared/connect';
import { SECRET_MASK } from '@shared/server-config';
import { describe, expect, it } from 'vitest';
import {
  actionsFor,
  hasMaskedToken,
  shownText,
  STATE_BADGE,
  writeButtonText,
  writeMessage,
} from './client-state';

const STATES: ClientState[] = ['registered', 'stale', 'name-taken', 'unreadable', 'absent', 'no-config'];

describe('client states', () => {
  it('has a badge for every state', () => {
    for (const s of STATES) expect(STATE_BADGE[s].text).not.toBe('');
  });

  it('offers the writes that make sense', () => {
    expect(actionsFor('registered')).toEqual({ write: undefined, remove: true });
    expect(actionsFor('stale')).toEqual({ write: 'update', remove: true });
    expect(actionsFor('name-taken')).toEqual({ write: 'replace', remove: false });
    expect(actionsFor('absent')).toEqual({ write: 'add', remove: false });
    expect(actionsFor('no-config')).toEqual({ write: 'add', remove: false });
    expect(writeButtonText('add', 'Cursor')).toBe('Add to Cursor');
    expect(writeButtonText('replace', 'Cursor')).toBe('Add to Cursor');
    expect(writeButtonText('update', 'Zed')).toBe('Update in Zed');
  });
});

describe('writeMessage', () => {
  const base: WriteResult = {
    client: 'cursor',
    path: '/h/.cursor/mcp.json',
    name: 'fs',
    action: 'added',
    formatKept: true,
  };
  it('names the file and the backup', () => {
    expect(writeMessage(base, 'Cursor')).toBe('Added "fs" to Cursor: /h/.cursor/mcp.json.');
    expect(
      writeMessage({ ...base, action: 'updated', backupPath: '/h/.cursor/mcp.json.bak' }, 'Cursor'),
    ).toBe('Updated "fs" in Cursor: /h/.cursor/mcp.json. Backup: /h/.cursor/mcp.json.bak');
    expect(writeMessage({ ...base, action: 'removed', formatKept: false }, 'Codex')).toContain(
      'comments could not be kept',
    );
    expect(writeMessage({ ...base, action: 'unchanged' }, 'Cursor')).toContain('unchanged');
    expect(writeMessage({ ...base, action: 'not-found' }, 'Cursor')).toContain('did not have');
  });
});

describe('snippet text', () => {
  it('copies links by URL and knows a masked token', () => {
    expect(shownText({ kind: 'link', label: 'x', url: 'cursor://a' })).toBe('cursor://a');
    expect(shownText({ kind: 'field', label: 'URL', text: 'http://h/mcp' })).toBe('http://h/mcp');
    expect(hasMaskedToken(`Authorization: Bearer ${SECRET_MASK}`)).toBe(true);
    expect(hasMaskedToken('http://h/mcp')).toBe(false);
  });
});
