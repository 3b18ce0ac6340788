// The team's shared job queue on PostgreSQL (pg-boss): enqueue once per file, fetch what this host can take, keep the
// lease alive, settle with the host's result. While the database is away: intake waits (enqueue throws
// TeamOfflineError), running jobs go on, and their results wait in PendingResults until the connection is back.
import type { JobWithMetadata } from 'pg-boss';
import { TeamOfflineError } from './connectionError.js';
import { PendingResults, type PendingResult } from './pendingResults.js';
import { TeamConnection, type TeamConnectionOptions } from './teamConnection.js';
import { jobIdFor, jobKey, QUEUE, type TeamJob, type TeamJobData, type TeamResult } from './teamJob.js';

export interface TeamQueueOptions extends TeamConnectionOptions {
  /** Where results wait while the database is away (a JSON file in the data folder); in memory when absent. */
  pendingFile?: string;
}

export type TouchOutcome = 'ok' | 'canceled' | 'lost' | 'offline';
export type EnqueueOutcome = { status: 'queued' | 'known'; id: string };

/** The queue's operations on a TeamConnection (teamConnection.ts). */
export class TeamQueue extends TeamConnection {
  readonly pending: PendingResults;

  constructor(o: TeamQueueOptions) {
    super(o);
    this.pending = new PendingResults(o.pendingFile);
  }

  protected override onOnline(): void {
    void this.replayPending();
  }

  /** One job per (inbox-relative path, content): the same synced file enqueued by every host is one job, and a
   * file enqueued again after it is done meets its finished job ('known'). */
  async enqueue(data: TeamJobData): Promise<EnqueueOutcome> {
    const key = jobKey(data.inboxIndex, data.relPath, data.sha256);
    const id = jobIdFor(key);
    const created = await this.call((b) => b.send(QUEUE, data as unknown as object, { id, singletonKey: key }));
    return { status: created ? 'queued' : 'known', id };
  }

  /** True when a job of another recording already publishes to this output stem (`talk.mp3` and `talk.wav`). */
  async outputRelTaken(outputRel: string, relPath: string): Promise<boolean> {
    const { rows } = await this.call(() =>
      this.db().executeSql(
        `SELECT 1 FROM ${this.bossSchema}.job WHERE name = $1
      AND data->>'outputRel' = $2 AND data->>'relPath' <> $3 LIMIT 1`,
        [QUEUE, outputRel, relPath],
      ),
    );
    return rows.length > 0;
  }

  /** Take up to `n` ready jobs for this host (n = what its free slots and memory budget admit). */
  async fetch(n: number): Promise<TeamJob[]> {
    if (n < 1 || !this._online) return [];
    const jobs = await this.call((b) => b.fetch<TeamJobData>(QUEUE, { batchSize: n, includeMetadata: true }));
    const taken = jobs.map(toTeamJob);
    for (const job of taken) await this.recordRun(job).catch(() => {}); // retried by the next touch
    return taken;
  }

  private async recordRun(job: TeamJob, stage: string | null = null, progress = 0): Promise<void> {
    await this.db().executeSql(
      `INSERT INTO ${this.schema}.runs (job_id, attempt, host, stage, progress) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (job_id, attempt) DO UPDATE SET stage = COALESCE(EXCLUDED.stage, runs.stage), progress = EXCLUDED.progress`,
      [job.id, job.attempt, this.host, stage, progress],
    );
  }

  /** Keep this host's lease on a running job and report its progress. 'canceled': someone canceled it; 'lost': the
   * lease ran out and another host has it (publish nothing); 'offline': try again later, the job goes on. */
  async touch(job: TeamJob, stage: string | null = null, progress = 0): Promise<TouchOutcome> {
    try {
      const r = await this.call((b) => b.touch(QUEUE, { id: job.id, retryCount: job.attempt }));
      if (affected(r) > 0) {
        await this.recordRun(job, stage, progress).catch(() => {});
        return 'ok';
      }
      const now = await this.stateOf(job.id);
      return now?.state === 'cancelled' ? 'canceled' : 'lost';
    } catch (err) {
      if (err instanceof TeamOfflineError) return 'offline';
      throw err;
    }
  }

  async stateOf(id: string): Promise<{ state: string; attempt: number; output: unknown } | undefined> {
    const { rows } = await this.call(() =>
      this.db().executeSql(
        `SELECT state, retry_count, output FROM ${this.bossSchema}.job WHERE name = $1 AND id = $2`,
        [QUEUE, id],
      ),
    );
    return rows[0] ? { state: rows[0].state, attempt: rows[0].retry_count, output: rows[0].output } : undefined;
  }

  /** Settle a job this host ran (outputs already published). Offline: kept and replayed when the connection is back.
   * 'lost': the attempt is no longer ours (canceled, or handed over after the lease ran out). */
  async finish(job: TeamJob, result: TeamResult): Promise<'recorded' | 'pending' | 'lost'> {
    return this.settle({ kind: 'finish', id: job.id, attempt: job.attempt, result });
  }

  /** Hand a job back (this daemon is stopping): another host takes it at once. */
  async release(job: TeamJob): Promise<'recorded' | 'pending' | 'lost'> {
    return this.settle({ kind: 'release', id: job.id, attempt: job.attempt });
  }

  private async settle(p: PendingResult): Promise<'recorded' | 'pending' | 'lost'> {
    try {
      const attempt = { id: p.id, retryCount: p.attempt };
      const r = await this.call((b) =>
        p.kind === 'finish'
          ? b.complete(QUEUE, attempt, p.result as unknown as object)
          : b.fail(QUEUE, attempt, { message: `released by ${this.host}`, released: true }),
      );
      this.pending.remove(p);
      if (affected(r) > 0) return 'recorded';
      // Not affected: a replay of a settle that reached the server before the connection broke, or the lease was lost.
      const now = await this.stateOf(p.id).catch(() => undefined);
      const mine =
        now?.attempt === p.attempt && (now.state === 'completed' || (p.kind === 'release' && now.state !== 'active'));
      return mine ? 'recorded' : 'lost';
    } catch (err) {
      if (!(err instanceof TeamOfflineError)) throw err;
      this.pending.add(p);
      return 'pending';
    }
  }

  /** Settle what waited while the database was away. */
  async replayPending(): Promise<void> {
    for (const p of this.pending.list()) {
      const outcome = await this.settle(p).catch((err: Error) => {
        this.log.error({ jobId: p.id, err: this.redact(err.message) }, 'could not replay a team result');
        return 'error' as const;
      });
      if (outcome === 'pending') return;
      this.log.info({ jobId: p.id, kind: p.kind, outcome }, 'team result replayed after reconnecting');
    }
  }
}

function toTeamJob(j: JobWithMetadata<TeamJobData>): TeamJob {
  return {
    ...j.data,
    id: j.id,
    attempt: j.retryCount,
    key: j.singletonKey ?? jobKey(j.data.inboxIndex, j.data.relPath, j.data.sha256),
  };
}

/** pg-boss's command answer carries `affected` at run time, though its type does not declare it. */
function affected(r: unknown): number {
  return (r as { affected?: number }).affected ?? 0;
}
