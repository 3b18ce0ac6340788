// Paged reads of the job table for the web page: a page of jobs newest first, and the jobs changed since a moment
// (both on indexes, so they stay fast with 100,000 jobs).
import type { Db } from './db.js';
import type { JobState } from '../core/jobStates.js';
import { toJob, type Job, type JobRow } from './jobRow.js';

export interface PageQuery {
  /** Jobs with a smaller id than this (the next page); none: the newest. */
  beforeId?: number;
  limit: number;
  state?: JobState;
}

export class JobPages {
  constructor(private readonly db: Db) {}

  page(q: PageQuery): Job[] {
    const where = ['id < @beforeId', ...(q.state ? ['state = @state'] : [])].join(' AND ');
    const rows = this.db
      .prepare(`SELECT * FROM jobs WHERE ${where} ORDER BY id DESC LIMIT @limit`)
      .all({ beforeId: q.beforeId ?? Number.MAX_SAFE_INTEGER, state: q.state ?? null, limit: q.limit }) as JobRow[];
    return rows.map(toJob);
  }

  /** The latest change to any job (epoch ms), or 0 without jobs. */
  lastChange(): number {
    const row = this.db.prepare('SELECT MAX(updated_at) AS t FROM jobs').get() as { t: number | null };
    return row.t ?? 0;
  }

  /** Jobs changed after `sinceMs`, oldest change first, at most `limit`. */
  changedSince(sinceMs: number, limit = 500): Job[] {
    const rows = this.db
      .prepare('SELECT * FROM jobs WHERE updated_at > ? ORDER BY updated_at LIMIT ?')
      .all(sinceMs, limit) as JobRow[];
    return rows.map(toJob);
  }
}
