/**
 * Quotes argv for a terminal the user pastes into: POSIX shells on macOS and Linux, and on
 * Windows the double-quote form the clients' own docs use there (VS Code documents
 * `code --add-mcp "{\"name\":...}"`), which cmd.exe and the programs' argv parsing accept.
 */
export function shellCommand(argv: readonly string[], platform: NodeJS.Platform): string {
  return argv.map((arg) => quoteArg(arg, platform)).join(' ');
}

const SAFE = /^[A-Za-z0-9_\-.,:/@%+=]+$/;

export function quoteArg(arg: string, platform: NodeJS.Platform): string {
  if (SAFE.test(arg)) return arg;
  if (platform === 'win32') return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
  // Double quotes read best ("Authorization: Bearer …", as the docs write it) but expand
  // $, ` and \ — and ! in interactive bash; anything holding those goes in single quotes.
  if (!/["\\$`!]/.test(arg)) return `"${arg}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
