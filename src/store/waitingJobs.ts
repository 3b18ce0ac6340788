// SQL on queued jobs that wait for something outside them (the outbox, disk space): how many wait, and waking them
// when a probe sees it back, so they do not sit out the rest of their back-off.
import type { ErrorKind } from '../core/contract.js';
import type { Db } from './db.js';
import type { Job } from './jobRow.js';

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

/** What a queued job waits for, by the kind of its last error. */
const WAITING_FOR: Partial<Record<NonNullable<Job['errorKind']>, string>> = {
  outbox: 'outbox',
  'disk-full': 'disk space',
  settling: 'the file to settle',
};

/** A queued job that waits for the outbox, disk space or a settling file: what for, why and the fix, next try. */
export function waitingView(j: Job): { for: string; reason: string; nextTryAt: number } | null {
  const what = j.state === 'queued' && j.errorKind ? WAITING_FOR[j.errorKind] : undefined;
  return what ? { for: what, reason: j.error ?? '', nextTryAt: j.notBefore } : null;
}
