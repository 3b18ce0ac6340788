// SQL on stage_runs: each attempt of a stage (or of one unit of it, a transcription window) and its measured peak.
import type { StageErrorKind } from '../core/contract.js';
import type { Db } from './db.js';

export interface StageRunEnd {
  outcome: 'ok' | 'failed' | 'skipped';
  errorKind?: StageErrorKind;
  error?: string;
  exitCode?: number | null;
  signal?: string | null;
  peakRss?: number | null;
}

/** One attempt of a stage, or of one unit of it, as it starts. */
export interface StageRunStart {
  jobId: number;
  stage: string;
  backend: string | null;
  model: string | null;
  /** 1 for the first attempt. */
  attempt: number;
  /** One unit of a stage run on its own, such as a window (w007); absent or null for the whole stage. */
  unit?: string | null;
}

export interface StageRun {
  stage: string;
  backend: string | null;
  attempt: number;
  outcome: string | null;
  errorKind: string | null;
  unit: string | null;
}

export class StageRunStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Record the start of an attempt; returns the run's id, to finish it by. */
  start({ jobId, stage, backend, model, attempt, unit = null }: StageRunStart): number {
    const info = this.db
      .prepare(
        `INSERT INTO stage_runs (job_id, stage, backend, model, attempt, started_at, unit)
      VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(jobId, stage, backend, model, attempt, this.now(), unit);
    return Number(info.lastInsertRowid);
  }

  finish(runId: number, r: StageRunEnd): void {
    this.db
      .prepare(
        `UPDATE stage_runs SET outcome=?, error_kind=?, error=?, exit_code=?, signal=?, peak_rss=?, finished_at=?
      WHERE id=?`,
      )
      .run(
        r.outcome,
        r.errorKind ?? null,
        r.error ?? null,
        r.exitCode ?? null,
        r.signal ?? null,
        r.peakRss ?? null,
        this.now(),
        runId,
      );
  }

  /** The runs of one job, oldest first. */
  of(jobId: number): StageRun[] {
    return this.db
      .prepare(
        `SELECT stage, backend, attempt, outcome, error_kind AS errorKind, unit FROM stage_runs
      WHERE job_id=? ORDER BY id`,
      )
      .all(jobId) as StageRun[];
  }

  /** Measured peak RSS of the latest successful runs of a (stage, backend, model). */
  recentPeaks(stage: string, backend: string | null, model: string | null, limit = 20): number[] {
    return (
      this.db
        .prepare(
          `SELECT peak_rss AS p FROM stage_runs WHERE stage=? AND backend IS ? AND model IS ?
      AND outcome='ok' AND peak_rss IS NOT NULL ORDER BY id DESC LIMIT ?`,
        )
        .all(stage, backend, model, limit) as { p: number }[]
    ).map((r) => r.p);
  }
}
