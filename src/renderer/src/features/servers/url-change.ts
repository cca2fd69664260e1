import type { ClientStatus } from '@shared/connect';

/**
 * The client configs a URL change left behind: those that have this server registered with
 * an old URL (the Connect tab's "Out of date"). Unreadable files and other servers' entries
 * are not ours to rewrite.
 */
export function clientsToUpdate(statuses: readonly ClientStatus[]): ClientStatus[] {
  return statuses.filter((s) => s.state === 'stale');
}

/** What the Settings tab says after a save that changed the URL. */
export function urlChangeText(count: number): { message: string; button: string | undefined } {
  if (count === 0)
    return {
      message: 'The URL changed. No client config here has this server registered, so none needs updating.',
      button: undefined,
    };
  const configs = `${count} client config${count === 1 ? '' : 's'}`;
  return {
    message: `The URL changed. ${configs} still point${count === 1 ? 's' : ''} at the old one.`,
    button: `Update ${configs}`,
  };
}
