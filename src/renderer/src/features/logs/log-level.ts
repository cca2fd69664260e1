/** How a stderr line is coloured; servers log in every format, so this is a best guess. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

// The first level word in a line is usually its level marker ("INFO retrying after error"),
// so the earliest match wins, not the most severe one.
const WORDS =
  /\b(fatal|panic|critical|crit|error|err|exception|traceback|warn|warning|info|notice|debug|trace|verbose)\b/i;

const BY_WORD: Record<string, LogLevel> = {
  fatal: 'error',
  panic: 'error',
  critical: 'error',
  crit: 'error',
  error: 'error',
  err: 'error',
  exception: 'error',
  traceback: 'error',
  warn: 'warn',
  warning: 'warn',
  info: 'info',
  notice: 'info',
  debug: 'debug',
  trace: 'debug',
  verbose: 'debug',
};

// A JSON log's level field. Read with a pattern, not JSON.parse: long lines arrive cut
// ("… [N more chars]") and would not parse, and this runs on every line.
const FIELD = /"(?:level|severity|lvl)"\s*:\s*(?:"([A-Za-z]+)"|(\d+))/;

/** The level of one line: a JSON log's `level`/`severity` field, else its first level word. */
export function detectLevel(text: string): LogLevel | undefined {
  if (text.trimStart().startsWith('{')) {
    const field = FIELD.exec(text);
    if (field?.[1] !== undefined) {
      const level = BY_WORD[field[1].toLowerCase()];
      if (level) return level;
    } else if (field?.[2] !== undefined) {
      // pino and bunyan log numbers: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal.
      const n = Number(field[2]);
      return n >= 50 ? 'error' : n >= 40 ? 'warn' : n >= 30 ? 'info' : 'debug';
    }
  }
  const m = WORDS.exec(text);
  return m ? BY_WORD[m[1]!.toLowerCase()] : undefined;
}
