// The pino root logger. Child loggers carry jobId and stage.
import { pino, type Logger } from 'pino';

export type { Logger };

/** Create the root logger: JSON lines to stdout (launchd sends them to the log file), level from env or config. */
export function createLogger(level: string = process.env.DROPSCRIBE_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'dropscribe' }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** A logger that drops everything, for CLI commands and tests that do not want output. */
export const silentLogger: Logger = pino({ level: 'silent' });
