/**
 * A server's name as a person would say it, from its command line: shared by the paste
 * parser (engine) and the Add form (window), which both name a server the user did not.
 */

/** `npx -y @modelcontextprotocol/server-everything@1.2` → `everything`; `node ./fs.js` → `fs`. */
export function nameFromCommand(command: string, args: readonly string[]): string {
  const target =
    args.find((a) => !a.startsWith('-') && a !== 'dlx' && a !== 'exec' && a !== 'run') ?? command;
  const base = target
    .replace(/@[\w.^~-]+$/, '') // version
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(m?js|cjs|ts|py|exe|cmd)$/i, '')
    .replace(/^(mcp-server-|server-|mcp-)/, '')
    .replace(/[-_]mcp(-server)?$/, '')
    .replace(/[^\p{L}\p{N} ._-]/gu, '');
  return base || 'server';
}
