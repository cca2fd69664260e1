import { joinCommandLine } from '@shared/command-line';
import { SECRET_MASK } from '@shared/server-config';

/** `scheme://user:password@host` — the password part of a URL in an argument. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi;
/** `--token=…`, `--api-key …`-style flags whose value is a secret. */
const SECRET_FLAG = /^--?[\w-]*(token|secret|password|passwd|api[-_]?key|auth)[\w-]*$/i;

/**
 * A command line to show in a list (import, paste): what runs, with the passwords in URLs and
 * the values of token/key/password flags masked — lists are read over shoulders and screenshots.
 */
export function shownCommand(command: string, args: readonly string[]): string {
  const words = [command, ...args].map((w) => w.replace(URL_PASSWORD, `$1${SECRET_MASK}$3`));
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    const eq = w.indexOf('=');
    if (eq > 0 && SECRET_FLAG.test(w.slice(0, eq))) words[i] = `${w.slice(0, eq + 1)}${SECRET_MASK}`;
    else if (SECRET_FLAG.test(w) && i + 1 < words.length && !words[i + 1]!.startsWith('-'))
      words[++i] = SECRET_MASK;
  }
  return joinCommandLine(words);
}
