import type { ClientState, SnippetItem, WriteResult } from '@shared/connect';
import { SECRET_MASK } from '@shared/server-config';

export type Tone = 'ok' | 'warn' | 'danger' | 'muted';

/** The badge for where the server stands in a client, in words people use. */
export const STATE_BADGE: Record<ClientState, { text: string; tone: Tone; hint: string }> = {
  registered: { text: 'Registered', tone: 'ok', hint: 'The client has this server, with the current URL.' },
  stale: {
    text: 'Out of date',
    tone: 'warn',
    hint: 'The client has this server with an old URL or token: update it.',
  },
  'name-taken': {
    text: 'Name taken',
    tone: 'warn',
    hint: 'A different server has this name in the client; adding replaces it.',
  },
  unreadable: {
    text: 'File unreadable',
    tone: 'danger',
    hint: 'The client’s config file could not be read.',
  },
  absent: {
    text: 'Not added',
    tone: 'muted',
    hint: 'The client’s config file does not have this server yet.',
  },
  'no-config': {
    text: 'Not set up',
    tone: 'muted',
    hint: 'No config file for this client here: it may not be installed. Adding creates the file.',
  },
};

/** What writing the file can do from a state: add (or replace, after asking), update, remove. */
export interface ClientActions {
  write: 'add' | 'update' | 'replace' | undefined;
  remove: boolean;
}

export function actionsFor(state: ClientState): ClientActions {
  switch (state) {
    case 'registered':
      return { write: undefined, remove: true };
    case 'stale':
      return { write: 'update', remove: true };
    case 'name-taken':
      return { write: 'replace', remove: false };
    case 'unreadable':
    case 'absent':
    case 'no-config':
      return { write: 'add', remove: false };
  }
}

export function writeButtonText(write: NonNullable<ClientActions['write']>, client: string): string {
  return write === 'update' ? `Update in ${client}` : `Add to ${client}`;
}

/** What a write did, with the file and its backup, as a toast says it. */
export function writeMessage(r: WriteResult, client: string): string {
  const backup = r.backupPath ? ` Backup: ${r.backupPath}` : '';
  const format = r.formatKept ? '' : ' Its comments could not be kept (settings were).';
  switch (r.action) {
    case 'added':
      return `Added "${r.name}" to ${client}: ${r.path}.${backup}${format}`;
    case 'updated':
      return `Updated "${r.name}" in ${client}: ${r.path}.${backup}${format}`;
    case 'unchanged':
      return `${client} already had "${r.name}" as it is now: ${r.path} is unchanged.`;
    case 'removed':
      return `Removed "${r.name}" from ${client}: ${r.path}.${backup}${format}`;
    case 'not-found':
      return `${client} did not have "${r.name}": ${r.path} is unchanged.`;
  }
}

/** The text an item copies as shown (the real token only comes through the main process). */
export function shownText(item: SnippetItem): string {
  return item.kind === 'link' ? item.url : item.text;
}

export function hasMaskedToken(text: string): boolean {
  return text.includes(SECRET_MASK);
}
