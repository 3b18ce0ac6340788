// The team's shared job queue on PostgreSQL (pg-boss): enqueue once per file, fetch what this host can take, keep the
// lease alive, settle with the host's result. While the database is away: intake waits (enqueue throws
// TeamOfflineError), running jobs go on, and their results wait in PendingResults until the connection is back.
import { EventEmitter } from 'node:events';
import { PgBoss, type Db as BossDb, type JobWithMetadata } from 'pg-boss';
import type { Logger } from '../platform/log.js';
import { isConnectionError, TeamOfflineError } from './connectionError.js';
import { PendingResults, type PendingResult } from './pendingResults.js';
import { jobIdFor, jobKey, QUEUE, type TeamJob, type TeamJobData, type TeamResult } from './teamJob.js';
import { migrateTeamSchema } from './teamSchema.js';
import type { TeamSettings } from './teamSettings.js';
import { redactSecrets } from './teamUrl.js';

const MAX_EXPIRE_SEC = 24 * 3600; // pg-boss's limit; the heartbeat hands a dead host's job over much sooner
const RECONNECT_MS = 2000;

export interface TeamQueueOptions {
  url: string;
  settings: TeamSettings;
  host: string;
  log: Logger;
  /** Where results wait while the database is away (a JSON file in the data folder); in memory when absent. */
  pendingFile?: string;
  version?: string;
  /** A CLI command: no expiry supervision and no schema installation. */
  client?: boolean;
}

export type TouchOutcome = 'ok' | 'canceled' | 'lost' | 'offline';
export type EnqueueOutcome = { status: 'queued' | 'known'; id: string };

export class TeamQueue extends EventEmitter<{ online: []; offline: [] }> {
  private boss: PgBoss | undefined;
  private connecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private _online = false;
  readonly pending: PendingResults;

  constructor(private readonly o: TeamQueueOptions) {
    super();
    this.pending = new PendingResults(o.pendingFile);
  }

  get online(): boolean {
    return this._online;
  }

  /** The URL (print it only through redactUrl). */
  get url(): string {
    return this.o.url;
  }

  get schema(): string {
    return this.o.settings.schema;
  }

  get bossSchema(): string {
    return `${this.o.settings.schema}_boss`;
  }

  /** Connect (install or upgrade the schemas). An unreachable server is retried in the background; anything else
   * (wrong password, no such database) is thrown. */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (err) {
      if (this.o.client || !isConnectionError(err)) throw new Error(this.redact(`team database: ${(err as Error).message}`));
      this.markOffline(err);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    await this.connecting?.catch(() => {});
    const boss = this.boss;
    this.boss = undefined;
    this._online = false;
    await boss?.stop({ graceful: false, close: true, timeout: 5000 }).catch(() => {});
  }

  private connect(): Promise<void> {
    this.connecting ??= this.open().finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  private async open(): Promise<void> {
    if (!this.boss) {
      const s = this.o.settings;
      const boss = new PgBoss({
        connectionString: this.o.url, ssl: s.ssl ?? undefined, schema: this.bossSchema, application_name: 'dropscribe',
        max: 4, connectionTimeoutMillis: 5000, schedule: false, supervise: !this.o.client, migrate: !this.o.client,
        superviseIntervalSeconds: s.superviseSec, monitorIntervalSeconds: Math.max(s.superviseSec, 10),
        registerInstance: false,
      });
      boss.on('error', (err) => this.onBackgroundError(err));
      try {
        await boss.start();
      } catch (err) {
        await boss.stop({ graceful: false, close: true, timeout: 1000 }).catch(() => {});
        throw err;
      }
      this.boss = boss;
    }
    if (!this.o.client) {
      await migrateTeamSchema(this.db(), this.schema);
      await this.ensureQueue();
    }
    this.markOnline();
  }

  private async ensureQueue(): Promise<void> {
    const s = this.o.settings;
    const options = {
      retryLimit: s.retryLimit, retryDelay: 0, expireInSeconds: MAX_EXPIRE_SEC, heartbeatSeconds: s.heartbeatSec,
      deleteAfterSeconds: 0, retentionSeconds: 365 * 24 * 3600,
    };
    const boss = this.requireBoss();
    if (await boss.getQueue(QUEUE)) await boss.updateQueue(QUEUE, options);
    else await boss.createQueue(QUEUE, { ...options, policy: 'exclusive' }).catch(async (err) => {
      if (!(await boss.getQueue(QUEUE))) throw err; // another host created it first
    });
  }

  private markOnline(): void {
    const was = this._online;
    this._online = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (!was) {
      this.o.log.info('team database connected');
      this.emit('online');
    }
    void this.replayPending();
  }

  private markOffline(err: unknown): void {
    if (this.stopped) return;
    if (this._online) {
      this._online = false;
      this.o.log.warn({ err: this.redact((err as Error)?.message ?? String(err)) },
        'team database unreachable: running jobs go on, new files wait, results are kept until it is back');
      this.emit('offline');
    }
    this.reconnectTimer ??= setTimeout(() => void this.reconnect(), RECONNECT_MS);
  }

  private async reconnect(): Promise<void> {
    this.reconnectTimer = undefined;
    if (this.stopped) return;
    try {
      if (this.boss) await this.db().executeSql('SELECT 1');
      await this.connect();
    } catch (err) {
      if (!isConnectionError(err)) this.o.log.error({ err: this.redact((err as Error).message) }, 'team database error while reconnecting');
      this.reconnectTimer ??= setTimeout(() => void this.reconnect(), RECONNECT_MS);
    }
  }

  private onBackgroundError(err: unknown): void {
    if (isConnectionError(err)) this.markOffline(err);
    else this.o.log.warn({ err: this.redact((err as Error)?.message ?? String(err)) }, 'team queue maintenance error');
  }

  /** Run a database call; a lost connection marks the queue offline and becomes TeamOfflineError. */
  async call<T>(fn: (boss: PgBoss) => Promise<T>): Promise<T> {
    if (!this.boss || (!this._online && this.connecting)) throw new TeamOfflineError();
    try {
      const result = await fn(this.boss);
      if (!this._online) this.markOnline();
      return result;
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      this.markOffline(err);
      throw new TeamOfflineError(this.redact(`the team database cannot be reached: ${(err as Error).message}`));
    }
  }

  db(): BossDb {
    return this.requireBoss().getDb();
  }

  private requireBoss(): PgBoss {
    if (!this.boss) throw new TeamOfflineError();
    return this.boss;
  }

  redact(text: string): string {
    return redactSecrets(text, this.o.url);
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
    const { rows } = await this.call(() => this.db().executeSql(`SELECT 1 FROM ${this.bossSchema}.job WHERE name = $1
      AND data->>'outputRel' = $2 AND data->>'relPath' <> $3 LIMIT 1`, [QUEUE, outputRel, relPath]));
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
    await this.db().executeSql(`INSERT INTO ${this.schema}.runs (job_id, attempt, host, stage, progress) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (job_id, attempt) DO UPDATE SET stage = COALESCE(EXCLUDED.stage, runs.stage), progress = EXCLUDED.progress`,
    [job.id, job.attempt, this.o.host, stage, progress]);
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
    const { rows } = await this.call(() => this.db().executeSql(
      `SELECT state, retry_count, output FROM ${this.bossSchema}.job WHERE name = $1 AND id = $2`, [QUEUE, id]));
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
      const r = await this.call((b) => p.kind === 'finish'
        ? b.complete(QUEUE, attempt, p.result as unknown as object)
        : b.fail(QUEUE, attempt, { message: `released by ${this.o.host}`, released: true }));
      this.pending.remove(p);
      if (affected(r) > 0) return 'recorded';
      // Not affected: a replay of a settle that reached the server before the connection broke, or the lease was lost.
      const now = await this.stateOf(p.id).catch(() => undefined);
      const mine = now?.attempt === p.attempt && (now.state === 'completed' || (p.kind === 'release' && now.state !== 'active'));
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
        this.o.log.error({ jobId: p.id, err: this.redact(err.message) }, 'could not replay a team result');
        return 'error' as const;
      });
      if (outcome === 'pending') return;
      this.o.log.info({ jobId: p.id, kind: p.kind, outcome }, 'team result replayed after reconnecting');
    }
  }
}

function toTeamJob(j: JobWithMetadata<TeamJobData>): TeamJob {
  return { ...j.data, id: j.id, attempt: j.retryCount, key: j.singletonKey ?? jobKey(j.data.inboxIndex, j.data.relPath, j.data.sha256) };
}

/** pg-boss's command answer carries `affected` at run time, though its type does not declare it. */
function affected(r: unknown): number {
  return (r as { affected?: number }).affected ?? 0;
}
