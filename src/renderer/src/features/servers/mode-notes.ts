/**
 * What each routing mode means for the user, shown by the form's mode choice and as the
 * header's tooltip. Shared mode's trade-offs come from the engine's routing rules (issue 14):
 * see src/main/core/routing/shared-client-requests.ts.
 */
export const MODE_NOTES = {
  isolated: 'One process per client session; nothing is shared.',
  shared:
    'One process for all clients, request ids rewritten: cheaper, and for servers that hold an exclusive resource. ' +
    'It gives up: the server sees one client (the first one’s protocol version; what it remembers, all share), ' +
    'and its sampling, elicitation and roots requests reach a client only while that client alone has a call ' +
    'running. Otherwise Patchbay answers for it (no roots, declined, or an error), so tools that need them can fail.',
} as const;
