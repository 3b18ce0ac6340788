// The pino root logger. Child loggers carry jobId and stage. No line it writes holds a password: one in a URL
// (scheme://user:password@) and every value handed to hideInLogs show as ***.
import { pino, type Logger } from 'pino';

export type { Logger };

/** Values never written in a log line (a password found at run time), longest first. */
const hidden: string[] = [];

/** From now on write `values` (a secret, in every form it may take) as *** in every log line. */
export function hideInLogs(...values: string[]): void {
  for (const v of values) {
    // As written, and as JSON escapes it inside a log line's string.
    for (const form of [v, JSON.stringify(v).slice(1, -1)])
      if (form.length >= 4 && !hidden.includes(form)) hidden.push(form);
  }
  hidden.sort((a, b) => b.length - a.length);
}

/** One log line with the password of any URL and every hidden value replaced by ***. */
export function redactLogLine(line: string): string {
  let out = line.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@"]*:)[^\s@"/]+@/gi, '$1***@');
  for (const v of hidden) if (out.includes(v)) out = out.split(v).join('***');
  return out;
}

/** Create the root logger: JSON lines to stdout (launchd sends them to the log file), level from env or config. */
export function createLogger(
  level: string = process.env.DROPSCRIBE_LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options = {
    level,
    base: { app: 'dropscribe' },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: { streamWrite: redactLogLine },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that drops everything, for CLI commands and tests that do not want output. */
export const silentLogger: Logger = pino({ level: 'silent' });
