/** What the Revived cell of a session means, said on hover. */
export function revivalTitle(revivals: number): string {
  if (revivals === 0) return 'Never revived: the session has kept its first process';
  const times = revivals === 1 ? 'once' : `${revivals.toLocaleString('en-US')} times`;
  return `Revived ${times}: its process was reclaimed or crashed, and Patchbay replayed the session on a new one`;
}
