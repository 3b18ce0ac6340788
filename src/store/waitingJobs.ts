// SQL on queued jobs that wait for something outside them (the outbox, disk space): how many wait, and waking them
// when a probe sees it back, so they do not sit out the rest of their back-off.
import type { ErrorKind } from '../contract.js';
import type { Db } from './db.js';

export type WaitKind = Extract<ErrorKind, 'outbox' | 'disk-full'>;

export class WaitingJobs {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queued jobs (duplicates too) waiting for `kind`. */
  count(kind: WaitKind): number {
    return (
      this.db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE state = 'queued' AND error_kind = ?`).get(kind) as {
        n: number;
      }
    ).n;
  }

  /** Make every job waiting for `kind` ready now; returns how many. */
  wake(kind: WaitKind): number {
    const t = this.now();
    return this.db
      .prepare(
        `UPDATE jobs SET not_before = ?, updated_at = ? WHERE state = 'queued' AND error_kind = ? AND not_before > ?`,
      )
      .run(t, t, kind, t).changes;
  }
}
