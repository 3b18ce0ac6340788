// The daemon's policy for a job whose input could not be decoded while it may still be arriving (a copy, a recorder
// still writing): retried quietly with a back-off until the file has been stable for the settle time, then reported.
// failurePolicy.ts asks it.
import { statSync, type Stats } from 'node:fs';
import { StageError } from '../stages/stageError.js';
import type { Job } from '../store/jobRow.js';

/** After a decode failure (bad input): the delay before a quiet retry while the input may still be arriving, i.e.
 * it changed less than `settleMs` ago; undefined to report the failure now (stable that long, or gone). The retry
 * backs off, and the last one comes when the file has been stable for `settleMs`. */
export function settleRetryDelay(input: {
  lastChangeMs: number | undefined;
  now: number;
  settleMs: number;
  attempts: number;
}): number | undefined {
  const { lastChangeMs: changed, now, settleMs, attempts } = input;
  if (changed === undefined) return undefined;
  const stableAt = changed + settleMs;
  if (now >= stableAt) return undefined;
  const backoff = 2000 * 2 ** Math.min(Math.max(0, attempts - 1), 8);
  return Math.max(250, Math.min(backoff, stableAt - now));
}

/** When a file last changed: ctime too, since copies (Finder, cp -p) keep the source's modification time. */
export function lastChangeMs(st: Pick<Stats, 'mtimeMs' | 'ctimeMs'>): number {
  return Math.max(st.mtimeMs, st.ctimeMs);
}

/** A failed run to weigh: its job, its error, the settle time, and the time now (default: the clock's). */
export interface SettlingCheck {
  job: Pick<Job, 'input' | 'attempts'>;
  err: unknown;
  settleMs: number;
  now?: number;
}

/** When to retry a job whose input could not be decoded while it may still be arriving, or undefined to report the
 * failure now. */
export function settlingRetry(check: SettlingCheck): { delayMs: number; message: string } | undefined {
  const { job, err, settleMs, now = Date.now() } = check;
  if (!(err instanceof StageError) || err.kind !== 'bad-input') return undefined;
  let changed: number | undefined;
  try {
    changed = lastChangeMs(statSync(job.input));
  } catch {
    /* gone: report it */
  }
  const delayMs = settleRetryDelay({ lastChangeMs: changed, now, settleMs, attempts: job.attempts });
  return delayMs === undefined
    ? undefined
    : {
        delayMs,
        message: `waiting: the file could not be read yet and changed recently; it may still be arriving (${err.message})`,
      };
}
