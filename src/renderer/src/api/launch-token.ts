const STORAGE_KEY = 'patchbay.launchToken';

/**
 * The launch token of `patchbay serve`: taken from the URL fragment (`#token=…`, never
 * sent to any server) into sessionStorage, so reloads of this tab keep it, and dropped
 * from the address bar. Never a cookie: cookies reach every port of the host.
 */
export function takeLaunchToken(): string | undefined {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    sessionStorage.setItem(STORAGE_KEY, fromHash);
    history.replaceState(history.state, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
}

/**
 * Opening the newly printed URL in this tab (after `serve` restarted) changes only the fragment,
 * which reloads nothing: take its token and start the page again with it.
 */
export function reloadOnNewLaunchToken(): void {
  addEventListener('hashchange', () => {
    if (!new URLSearchParams(location.hash.replace(/^#/, '')).get('token')) return;
    takeLaunchToken();
    location.reload();
  });
}
