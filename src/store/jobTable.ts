// SQL on the jobs table: enqueue (dedupe by sha256 and transcript settings), claim, progress, complete, fail, retry,
// cancel, leases and counts. A job's duplicates, stage runs, refusals, corrections, search index, output stems and
// the files written have stores of their own (duplicateStore.ts, stageRuns.ts, ...); this table is given the two its
// own statements need: duplicates (enqueue, retry) and the search index (complete).
import type { ErrorKind } from '../core/contract.js';
import type { Db } from './db.js';
import { ACTIVE_SQL, FINISHED_SQL, isActive, isFinished, JOB_STATES, type JobState } from '../core/jobStates.js';
import { getJob, insertJob, settingsKey, toJob, type Job, type JobRow, type NewJob } from './jobRow.js';
import type { TranscriptDocument } from '../core/transcriptDocument.js';
import { foldName } from '../core/outputNaming.js';
import type { DuplicateStore } from './duplicateStore.js';
import type { SearchIndex } from './searchIndex.js';

export type EnqueueResult = { status: 'queued' | 'duplicate' | 'requeued'; job: Job };

export interface JobTableOptions {
  db: Db;
  /** Enqueue finds the original of known content here and adds duplicates; retry promotes one. */
  duplicates: DuplicateStore;
  /** A completed job's transcript is indexed here. */
  search: SearchIndex;
  /** The table's clock (tests pass a fake one). */
  now?: () => number;
}

export class JobTable {
  protected readonly db: Db;
  protected readonly now: () => number;
  private readonly duplicateRows: DuplicateStore;
  private readonly searchIndex: SearchIndex;

  constructor(o: JobTableOptions) {
    this.db = o.db;
    this.now = o.now ?? Date.now;
    this.duplicateRows = o.duplicates;
    this.searchIndex = o.search;
  }

  /** Insert a job; content already known under the same transcript settings becomes a duplicate row that waits
   * for (and publishes) the original's results under its own name; other settings make a new original. A canceled
   * original of the same content and settings is queued again instead. */
  enqueue(n: NewJob): EnqueueResult {
    return this.db
      .transaction((): EnqueueResult => {
        const key = settingsKey(n.settings);
        const existing = this.duplicateRows.originalFor(n.sha256, key);
        const t = this.now();
        if (existing && existing.state !== 'canceled')
          return { status: 'duplicate', job: this.duplicateRows.add(n, existing.id) };
        if (existing) {
          this.db
            .prepare(
              `UPDATE jobs SET input=@input, inbox=@inbox, rel_path=@relPath, output_stem=@outputStem,
          output_key=@outputKey, size=@size, mtime_ms=@mtimeMs, settings=@settings, settings_key=@key, state='queued',
          cancel_requested=0, stage=NULL, progress=0, eta_sec=NULL, attempts=0, not_before=0, error=NULL,
          error_kind=NULL, degraded=NULL, notes=NULL, outputs=NULL, overwrite=0, updated_at=@t, finished_at=NULL
          WHERE id=@id`,
            )
            .run({
              ...n,
              outputKey: foldName(n.outputStem),
              settings: JSON.stringify(n.settings),
              key,
              t,
              id: existing.id,
            });
          return { status: 'requeued', job: this.get(existing.id)! };
        }
        return { status: 'queued', job: this.get(insertJob(this.db, n, { at: t }))! };
      })
      .immediate();
  }

  get(id: number): Job | undefined {
    return getJob(this.db, id);
  }

  /** A job already made from this exact file (same path, size and mtime), so it need not be hashed again. */
  findByFileStamp(input: string, size: number, mtimeMs: number): Job | undefined {
    const row = this.db
      .prepare('SELECT * FROM jobs WHERE input = ? AND size = ? AND mtime_ms = ?')
      .get(input, size, mtimeMs) as JobRow | undefined;
    return row && toJob(row);
  }

  /** Queued or running jobs of this input path whose content differs (the file was changed since). */
  activeJobsForInput(input: string, exceptSha: string): number[] {
    return (
      this.db
        .prepare(`SELECT id FROM jobs WHERE input = ? AND sha256 != ? AND state IN (${ACTIVE_SQL})`)
        .all(input, exceptSha) as { id: number }[]
    ).map((r) => r.id);
  }

  /** Take the oldest ready job and lease it to `owner`. */
  claimNext(owner: string, leaseMs: number): Job | undefined {
    // A plain read first: the daemon polls this every second, and an idle poll should not take the write lock.
    const ready = `SELECT id FROM jobs WHERE state = 'queued' AND not_before <= ? AND duplicate_of IS NULL`;
    if (!this.db.prepare(`${ready} LIMIT 1`).get(this.now())) return undefined;
    return this.db
      .transaction(() => {
        const row = this.db.prepare(`${ready} ORDER BY id LIMIT 1`).get(this.now()) as { id: number } | undefined;
        return row ? this.claim(row.id, owner, leaseMs) : undefined;
      })
      .immediate();
  }

  /** Lease queued job `id` to `owner`: it is running now (undefined when it was not queued). */
  claim(id: number, owner: string, leaseMs: number): Job | undefined {
    const t = this.now();
    const { changes } = this.db
      .prepare(
        `UPDATE jobs SET state='running', attempts=attempts+1, lease_owner=?, lease_until=?,
      started_at=COALESCE(started_at, ?), updated_at=? WHERE id=? AND state='queued'`,
      )
      .run(owner, t + leaseMs, t, t, id);
    return changes ? this.get(id) : undefined;
  }

  /** Epoch ms when the next queued job becomes ready, if any is waiting for its backoff. */
  nextReadyAt(): number | undefined {
    const row = this.db
      .prepare(`SELECT MIN(not_before) AS t FROM jobs WHERE state = 'queued' AND duplicate_of IS NULL`)
      .get() as { t: number | null };
    return row.t ?? undefined;
  }

  renewLease(id: number, owner: string, leaseMs: number): void {
    this.db.prepare('UPDATE jobs SET lease_until=? WHERE id=? AND lease_owner=?').run(this.now() + leaseMs, id, owner);
  }

  setProgress(id: number, stage: string, progress: number, etaSec: number | null): void {
    this.db
      .prepare('UPDATE jobs SET stage=?, progress=?, eta_sec=?, updated_at=? WHERE id=?')
      .run(stage, progress, etaSec, this.now(), id);
  }

  setAudioSec(id: number, audioSec: number): void {
    this.db.prepare('UPDATE jobs SET audio_sec=? WHERE id=?').run(audioSec, id);
  }

  /** Mark a job done: keep its `document` for duplicates dropped later; index what was published (`searched`). */
  complete(
    id: number,
    outputs: string[],
    degraded: string[],
    notes: string[] = [],
    document?: TranscriptDocument,
    searched = document,
  ): void {
    const t = this.now();
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE jobs SET state='done', stage=NULL, progress=1, eta_sec=NULL, outputs=?, degraded=?, notes=?,
        error=NULL, error_kind=NULL, lease_owner=NULL, lease_until=NULL, overwrite=0, finished_at=?, updated_at=?
        WHERE id=?`,
        )
        .run(JSON.stringify(outputs), listOrNull(degraded), listOrNull(notes), t, t, id);
      if (document)
        this.db
          .prepare('INSERT OR REPLACE INTO job_documents (job_id, document) VALUES (?, ?)')
          .run(id, JSON.stringify(document));
      if (searched) this.searchIndex.index(id, searched.segments);
    })();
  }

  fail(id: number, error: string, kind: ErrorKind, outputs: string[] = []): void {
    const t = this.now();
    this.db
      .prepare(
        `UPDATE jobs SET state='failed', eta_sec=NULL, error=?, error_kind=?, outputs=?, lease_owner=NULL,
      lease_until=NULL, overwrite=0, finished_at=?, updated_at=? WHERE id=?`,
      )
      .run(error, kind, JSON.stringify(outputs), t, t, id);
  }

  /** Put a running job back in the queue (shutdown, or a retry after `delayMs`). */
  requeue(id: number, delayMs = 0, error?: { message: string; kind: ErrorKind }): void {
    const t = this.now();
    this.db
      .prepare(
        `UPDATE jobs SET state='queued', not_before=?, eta_sec=NULL, lease_owner=NULL, lease_until=NULL,
      error=COALESCE(?, error), error_kind=COALESCE(?, error_kind), updated_at=? WHERE id=? AND state='running'`,
      )
      .run(t + delayMs, error?.message ?? null, error?.kind ?? null, t, id);
  }

  /** End a job as canceled; `reason` (for status) says why when it was not the user. */
  markCanceled(id: number, reason?: string): void {
    const t = this.now();
    this.db
      .prepare(
        `UPDATE jobs SET state='canceled', cancel_requested=0, eta_sec=NULL, lease_owner=NULL, lease_until=NULL,
      error=COALESCE(?, error), error_kind=NULL, finished_at=?, updated_at=? WHERE id=?`,
      )
      .run(reason ?? null, t, t, id);
  }

  /** CLI retry: a finished, failed or canceled job runs again from the start, and its duplicates wait to be
   * published again. Retrying a duplicate retries its original (a duplicate whose original is gone becomes one). */
  retry(id: number): Job | undefined {
    return this.db
      .transaction(() => {
        const job = this.get(id);
        if (!job || !isFinished(job.state)) return undefined;
        const originalId =
          job.duplicateOf === null || this.get(job.duplicateOf)
            ? (job.duplicateOf ?? job.id)
            : (this.duplicateRows.promote(id)!.duplicateOf ?? id);
        const reset = `UPDATE jobs SET state='queued', cancel_requested=0, stage=NULL, progress=0, attempts=0, not_before=0,
        error=NULL, error_kind=NULL, degraded=NULL, notes=NULL, overwrite=1, updated_at=?, finished_at=NULL
        WHERE state IN (${FINISHED_SQL}) AND`;
        this.db.prepare(`${reset} id=?`).run(this.now(), originalId);
        this.db.prepare(`${reset} duplicate_of=?`).run(this.now(), originalId);
        return this.get(id);
      })
      .immediate();
  }

  /** Cancel (CLI, or intake for a changed file with `reason`): a queued job at once; a running one is flagged. */
  cancel(id: number, reason?: string): 'canceled' | 'requested' | 'not-active' {
    return this.db
      .transaction(() => {
        const job = this.get(id);
        if (!job || !isActive(job.state)) return 'not-active' as const;
        if (job.state === 'queued') {
          this.markCanceled(id, reason);
          return 'canceled' as const;
        }
        this.db
          .prepare('UPDATE jobs SET cancel_requested=1, error=COALESCE(?, error), updated_at=? WHERE id=?')
          .run(reason ?? null, this.now(), id);
        return 'requested' as const;
      })
      .immediate();
  }

  /** Running jobs whose lease ran out (their daemon died, or their end could not be written: a full disk) go back to
   * the queue; not those in `running`, which this daemon runs now (a lease that ran out while the machine slept). */
  reapStaleLeases(running: ReadonlySet<number> = new Set()): number {
    const t = this.now();
    const except = [...running].filter(Number.isInteger).join(',') || '0';
    return this.db
      .prepare(
        `UPDATE jobs SET state='queued', lease_owner=NULL, lease_until=NULL, updated_at=? WHERE state='running'
      AND (lease_until IS NULL OR lease_until < ?) AND id NOT IN (${except})`,
      )
      .run(t, t).changes;
  }

  /** Every running job goes back to the queue: used at start-up, when no other daemon can own them. */
  requeueAllRunning(): number {
    return this.db
      .prepare(
        `UPDATE jobs SET state='queued', lease_owner=NULL, lease_until=NULL, updated_at=?
      WHERE state='running'`,
      )
      .run(this.now()).changes;
  }

  list(limit = 200): Job[] {
    return (this.db.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT ?').all(limit) as JobRow[]).map(toJob);
  }

  countByState(): Record<JobState, number> {
    const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
    const rows = this.db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all();
    for (const r of rows as { state: JobState; n: number }[]) counts[r.state] = r.n;
    return counts;
  }

  isCancelRequested(id: number): boolean {
    const r = this.db.prepare('SELECT cancel_requested AS c FROM jobs WHERE id=?').get(id) as { c: number } | undefined;
    return r?.c === 1;
  }

  /** Drop finished job rows older than `beforeMs` (refusals are dropped by their own store). Returns how many. */
  deleteFinishedBefore(beforeMs: number): number {
    return this.db.prepare(`DELETE FROM jobs WHERE state IN (${FINISHED_SQL}) AND finished_at < ?`).run(beforeMs)
      .changes;
  }
}

const listOrNull = (list: string[]) => (list.length ? JSON.stringify(list) : null);
