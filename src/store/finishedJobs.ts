// SQL on finished jobs for re-export: the done jobs, oldest first, optionally finished since a time.
import type { Db } from './db.js';
import { toJob, type Job, type JobRow } from './jobRow.js';

/** Every done job (finished at or after `sinceMs` when given), in the order they finished. */
export function finishedJobs(db: Db, sinceMs?: number): Job[] {
  const rows = db
    .prepare(`SELECT * FROM jobs WHERE state = 'done' AND (? IS NULL OR finished_at >= ?) ORDER BY finished_at, id`)
    .all(sinceMs ?? null, sinceMs ?? null) as JobRow[];
  return rows.map(toJob);
}
