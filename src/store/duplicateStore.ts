// SQL for duplicate jobs: content already known, dropped under another name, publishing the original's results.
import type { ErrorKind } from '../core/contract.js';
import type { Db } from './db.js';
import { FINISHED_SQL } from '../core/jobStates.js';
import { getJob, insertJob, toJob, type Job, type JobRow, type NewJob } from './jobRow.js';

/** A duplicate whose original has finished (or is gone), ready to be published. */
export interface ReadyDuplicate {
  duplicate: Job;
  original: Job | undefined;
}

export class DuplicateStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** The original job of this content transcribed under this settings key, if any. Rows made before keys were
   * stored (NULL) are matched by the key of their settings. */
  originalFor(sha256: string, key: string, exceptId = 0): Job | undefined {
    const rows = this.db
      .prepare(
        // INDEXED BY: without it SQLite reads every row of this content, duplicates too (10,000 in a flood).
        `SELECT * FROM jobs INDEXED BY jobs_original_sha WHERE sha256 = ? AND duplicate_of IS NULL AND id != ?
      AND (settings_key = ? OR settings_key IS NULL) ORDER BY id`,
      )
      .all(sha256, exceptId, key) as JobRow[];
    return rows.map(toJob).find((j) => j.settingsKey === key);
  }

  /** Insert `n` as a duplicate of `originalId` (call inside enqueue's transaction); a path that already has a
   * duplicate row of this original (touched, dropped again) keeps that row. */
  add(n: NewJob, originalId: number): Job {
    const same = this.db
      // by the path (one row or a few), not by the original (every duplicate of it)
      .prepare('SELECT id FROM jobs INDEXED BY jobs_input WHERE sha256 = ? AND input = ? AND duplicate_of = ?')
      .get(n.sha256, n.input, originalId) as { id: number } | undefined;
    if (same) {
      this.db.prepare('UPDATE jobs SET size=?, mtime_ms=? WHERE id=?').run(n.size, n.mtimeMs, same.id);
      return this.get(same.id)!;
    }
    return this.get(insertJob(this.db, n, { at: this.now(), duplicateOf: originalId }))!;
  }

  /** Waiting duplicates whose original is done, failed or canceled (or was dropped by retention). */
  ready(limit = 50): ReadyDuplicate[] {
    const rows = this.db
      .prepare(
        `SELECT d.* FROM jobs d LEFT JOIN jobs o ON o.id = d.duplicate_of
      WHERE d.state = 'queued' AND d.not_before <= ? AND d.duplicate_of IS NOT NULL
        AND (o.id IS NULL OR o.state IN (${FINISHED_SQL})) ORDER BY d.id LIMIT ?`,
      )
      .all(this.now(), limit) as JobRow[];
    return rows.map(toJob).map((duplicate) => ({ duplicate, original: this.get(duplicate.duplicateOf!) }));
  }

  /** The duplicates of `originalId`, oldest first. */
  of(originalId: number): Job[] {
    return (this.db.prepare('SELECT * FROM jobs WHERE duplicate_of = ? ORDER BY id').all(originalId) as JobRow[]).map(
      toJob,
    );
  }

  /** The original's results were published under the duplicate's name. */
  published(id: number, outputs: string[], degraded: string[], notes: string[]): void {
    const t = this.now();
    this.db
      .prepare(
        `UPDATE jobs SET state='done', progress=1, outputs=?, degraded=?, notes=?, error=NULL, error_kind=NULL,
      started_at=COALESCE(started_at, ?), finished_at=?, updated_at=? WHERE id=? AND state='queued'`,
      )
      .run(
        JSON.stringify(outputs),
        degraded.length ? JSON.stringify(degraded) : null,
        notes.length ? JSON.stringify(notes) : null,
        t,
        t,
        t,
        id,
      );
  }

  /** Publishing failed (outbox not writable): try again after `delayMs`. */
  defer(id: number, delayMs: number, error: { message: string; kind: ErrorKind }): void {
    const t = this.now();
    this.db
      .prepare(`UPDATE jobs SET not_before=?, attempts=attempts+1, error=?, error_kind=?, updated_at=? WHERE id=?`)
      .run(t + delayMs, error.message, error.kind, t, id);
  }

  /** The original's own file no longer holds the content (changed or moved away before it was read): this duplicate
   * becomes the original and is transcribed; the old original and its other duplicates point to it. */
  handOver(id: number, originalId: number): void {
    this.db
      .transaction(() => {
        const t = this.now();
        this.db.prepare('UPDATE jobs SET duplicate_of=?, updated_at=? WHERE id=?').run(id, t, originalId);
        const key = this.get(id)!.settingsKey;
        this.db
          .prepare('UPDATE jobs SET duplicate_of=NULL, settings_key=?, not_before=0, updated_at=? WHERE id=?')
          .run(key, t, id);
        this.db
          .prepare('UPDATE jobs SET duplicate_of=?, updated_at=? WHERE duplicate_of=? AND id != ?')
          .run(id, t, originalId, id);
      })
      .immediate();
  }

  /** The original of this duplicate is gone (or, for a row from before settings keys, was transcribed with other
   * settings): attach it to another original of the same content and settings, or make it one. */
  promote(id: number): Job | undefined {
    return this.db
      .transaction(() => {
        const job = this.get(id);
        if (!job) return undefined;
        const other = this.originalFor(job.sha256, job.settingsKey, id);
        this.db
          .prepare('UPDATE jobs SET duplicate_of=?, settings_key=?, updated_at=? WHERE id=?')
          .run(other?.id ?? null, job.settingsKey, this.now(), id);
        return this.get(id);
      })
      .immediate();
  }

  private get(id: number): Job | undefined {
    return getJob(this.db, id);
  }
}
