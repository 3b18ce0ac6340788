// Composition root: wires store, intake, watcher, scheduler, pipeline and housekeeping; owns the lifecycle.
import { mkdirSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../output/atomicWrite.js';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isAppleSilicon } from '../stages/backends.js';
import { ConfigError, inboxOf, isInside, settingsFor, type Config } from '../config.js';
import { skipReason } from '../intake/inputFilter.js';
import { openDb, type Db } from '../store/db.js';
import { Housekeeping } from './housekeeping.js';
import { Intake } from '../intake/intake.js';
import { JobStore, type Job } from '../store/jobs.js';
import { acquireLock } from './lock.js';
import type { Logger } from '../platform/log.js';
import { defaultBudget, MemoryMonitor } from '../resources/memory.js';
import { notify } from '../platform/notify.js';
import { OutboxError, sweepTemps } from '../output/outbox.js';
import { runPipeline, warmKeysFor, workDirFor } from '../pipeline/pipeline.js';
import { publishErrorReport, publishOutputs, reportRefusal } from '../output/report.js';
import { MemoryScheduler } from '../resources/scheduler.js';
import { StageError } from '../stages/stageError.js';
import { publishReadyDuplicates } from '../output/duplicates.js';
import { changedSinceIntake, settlingRetry } from '../intake/arrival.js';
import { InboxWatcher } from '../intake/watcher.js';
import { WarmPool } from '../stages/warmPool.js';
import { startTeamMode, type TeamMode } from '../team/teamMode.js';

const LEASE_MS = 120_000;
const MAX_OUTBOX_BACKOFF_MS = 10 * 60_000;
const MEMORY_REFRESH_MS = 5_000; // how often the pressure level the scheduler sees is read again

type StopReason = 'shutdown' | 'cancel';

interface Active {
  job: Job;
  controller: AbortController;
  done: Promise<void>;
}

export class Daemon {
  private db!: Db;
  private jobs!: JobStore;
  private intake!: Intake;
  private watcher!: InboxWatcher;
  private housekeeping!: Housekeeping;
  scheduler!: MemoryScheduler;
  private warm: WarmPool | undefined;
  private team: TeamMode | undefined;
  private releaseLock: (() => void) | undefined;
  private active = new Map<number, Active>();
  private stopping = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private readonly owner = `${hostname()}:${process.pid}`;
  private readonly memory = new MemoryMonitor();
  private lastStatus = '';
  private readonly workRoot: string;

  constructor(
    readonly config: Config,
    private readonly log: Logger,
    private readonly opts: { teamFlag?: string } = {},
  ) {
    this.workRoot = join(config.dataDir, 'work');
  }

  async start(): Promise<void> {
    const c = this.config;
    for (const inbox of c.inboxes) {
      if (isInside(inbox, c.outbox))
        throw new ConfigError(
          `the outbox ${c.outbox} is inside the inbox ${inbox}; outputs would be picked up as inputs`,
        );
      try {
        mkdirSync(inbox, { recursive: true });
      } catch (err) {
        // An unmounted volume or a missing permission: watch the other inboxes; the rescan picks this one up later.
        this.log.error({ inbox, err: (err as Error).message }, 'cannot open this inbox');
      }
    }
    try {
      mkdirSync(c.outbox, { recursive: true });
    } catch (err) {
      // A missing volume or a file in the way: jobs wait and retry publishing; the daemon stays up.
      this.log.error(
        { outbox: c.outbox, err: (err as Error).message },
        'the outbox is not usable yet; finished jobs will retry publishing',
      );
    }
    mkdirSync(this.workRoot, { recursive: true });
    this.releaseLock = acquireLock(c.dataDir);
    try {
      this.db = openDb(join(c.dataDir, 'jobs.db'), { check: true });
    } catch (err) {
      this.releaseLock();
      throw err;
    }
    this.jobs = new JobStore(this.db);
    const requeued = this.jobs.requeueAllRunning();
    const swept = sweepTemps(c.outbox);
    if (requeued || swept) this.log.info({ requeued, tempFilesRemoved: swept }, 'recovered after an unclean stop');

    const memory = await this.memory.refresh();
    this.memory.start(MEMORY_REFRESH_MS);
    const budget = c.memory.budgetBytes ?? defaultBudget(memory.totalBytes);
    this.scheduler = new MemoryScheduler(budget, this.log, () => this.memory.pressure);
    this.log.info(
      { budgetMb: Math.round(budget / 2 ** 20), totalMb: Math.round(memory.totalBytes / 2 ** 20) },
      'memory budget',
    );

    if (c.stages.warm)
      this.warm = new WarmPool(c.python, this.log, c.stages.warmRecycleAfter, c.stages.warmIdleSec * 1000);
    this.team = await startTeamMode({
      config: c,
      jobs: this.jobs,
      scheduler: this.scheduler,
      log: this.log,
      owner: this.owner,
      leaseMs: LEASE_MS,
      startJob: (job) => this.startJob(job),
      running: () => this.active.size,
      teamFlag: this.opts.teamFlag,
    });
    this.intake = new Intake(
      c,
      this.jobs,
      this.log,
      () => this.pump(),
      (id) => this.reportRefused(id),
      this.team?.intake,
    );
    this.watcher = new InboxWatcher(
      c.inboxes,
      (p) => {
        this.intake.consider(p);
        this.prewarm(p);
      },
      this.log,
    );
    this.housekeeping = new Housekeeping(
      c,
      this.jobs,
      this.workRoot,
      {
        rescan: () => this.watcher.rescan(),
        setIntakePaused: (paused, why) => {
          if (paused !== this.intake.paused)
            this.log[paused ? 'warn' : 'info']({ why }, paused ? 'intake paused: disk space is low' : 'intake resumed');
          this.intake.paused = paused;
        },
        activeJobIds: () => new Set(this.active.keys()),
        pumpScheduler: () => this.scheduler.pump(),
      },
      this.log,
    );
    await this.housekeeping.start();
    this.intake.start();
    await this.watcher.start();
    this.leaseTimer = setInterval(() => this.tendActiveJobs(), 1000);
    this.writeStatusFile();
    this.pump();
  }

  /** Stop intake, stop running stages, put their jobs back in the queue, and close. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info({ running: this.active.size }, 'stopping');
    clearTimeout(this.wakeTimer);
    clearInterval(this.leaseTimer);
    this.intake?.stop();
    this.memory.stop();
    await this.watcher?.stop();
    await this.housekeeping?.stop();
    for (const a of this.active.values()) a.controller.abort('shutdown' satisfies StopReason);
    await Promise.allSettled([...this.active.values()].map((a) => a.done));
    await this.team?.stop();
    await this.warm?.close();
    rmSync(join(this.config.dataDir, 'status.json'), { force: true });
    this.db?.close();
    this.releaseLock?.();
    this.log.info('stopped');
  }

  /** Start queued jobs while there are free job slots. */
  private pump(): void {
    if (this.stopping) return;
    clearTimeout(this.wakeTimer);
    this.publishDuplicates();
    if (this.team) {
      void this.team.dispatcher.pump(); // team mode: jobs come from the shared queue (see team/teamDispatch.ts)
      this.writeStatusFile();
      return;
    }
    while (this.active.size < this.config.jobs.concurrency) {
      const job = this.jobs.claimNext(this.owner, LEASE_MS);
      if (!job) break;
      this.startJob(job);
    }
    const next = this.jobs.nextReadyAt();
    if (next !== undefined && this.active.size < this.config.jobs.concurrency) {
      this.wakeTimer = setTimeout(() => this.pump(), Math.max(50, next - Date.now()));
      this.wakeTimer.unref();
    }
    this.writeStatusFile();
  }

  /** Run a claimed job; when it ends, free its slot and look for the next. */
  private startJob(job: Job): void {
    const controller = new AbortController();
    const entry: Active = { job, controller, done: Promise.resolve() };
    this.active.set(job.id, entry);
    entry.done = this.runJob(job, controller.signal).finally(() => {
      this.active.delete(job.id);
      this.writeStatusFile();
      void this.team?.dispatcher.tend();
      this.pump();
    });
  }

  private async runJob(job: Job, signal: AbortSignal): Promise<void> {
    const log = this.log.child({ jobId: job.id });
    log.info({ file: job.relPath, attempt: job.attempts }, 'job started');
    try {
      const result = await runPipeline(
        job,
        {
          config: this.config,
          jobs: this.jobs,
          scheduler: this.scheduler,
          log: this.log,
          workRoot: this.workRoot,
          appleSilicon: isAppleSilicon(),
          warm: this.warm,
        },
        signal,
      );
      if (changedSinceIntake(job)) {
        // Transcribed from a file that was still being written: publish nothing; intake takes the new content.
        this.jobs.markCanceled(job.id);
        rmSync(workDirFor(this.workRoot, job.id), { recursive: true, force: true });
        log.info(
          { file: job.relPath },
          'the file changed while it was transcribed; its new content will be taken instead',
        );
        return;
      }
      const outputs = publishOutputs(
        job,
        this.config.outbox,
        result.document,
        job.settings.formats,
        this.config.subtitles,
      );
      this.jobs.complete(job.id, outputs, result.degraded, result.notes, result.document);
      rmSync(workDirFor(this.workRoot, job.id), { recursive: true, force: true });
      log.info(
        { file: job.relPath, outputs: outputs.length, degraded: result.degraded.length || undefined },
        'job done',
      );
      if (this.config.notify) notify('dropscribe', `Transcribed ${job.relPath}`);
    } catch (err) {
      this.endFailedJob(job, err, signal, log);
    }
  }

  private endFailedJob(job: Job, err: unknown, signal: AbortSignal, log: Logger): void {
    if (signal.aborted && signal.reason === 'shutdown') {
      this.jobs.requeue(job.id);
      log.info('job put back in the queue for the next start');
      return;
    }
    if (signal.aborted && signal.reason === 'cancel') {
      this.jobs.markCanceled(job.id);
      rmSync(workDirFor(this.workRoot, job.id), { recursive: true, force: true });
      log.info('job canceled');
      return;
    }
    if (err instanceof OutboxError) {
      // The transcript is safe in the work folder: wait for the outbox (disk full, volume gone, read-only).
      const delay = Math.min(MAX_OUTBOX_BACKOFF_MS, 5000 * 2 ** Math.min(job.attempts - 1, 10));
      this.jobs.requeue(job.id, delay, { message: err.message, kind: 'outbox' });
      log.warn({ err: err.message, retryInMs: delay }, 'could not publish; will retry');
      return;
    }
    const settling = settlingRetry(job, err, this.config.stability.settleSec * 1000);
    if (settling) {
      // Perhaps a half-written file: retried quietly; reported once it has been stable for the settle time.
      this.jobs.requeue(job.id, settling.delayMs, { message: settling.message, kind: 'settling' });
      log.info({ retryInMs: settling.delayMs }, 'could not read the file, which changed recently; will try again');
      return;
    }
    const message = err instanceof StageError ? err.report() : ((err as Error).message ?? String(err));
    const kind = err instanceof StageError ? err.kind : 'bug';
    const outputs: string[] = [];
    try {
      outputs.push(publishErrorReport(job, this.config.outbox, message));
    } catch (e) {
      log.error({ err: (e as Error).message }, 'could not write the error report to the outbox');
    }
    this.jobs.fail(job.id, message, kind, outputs);
    log.error({ kind, err: err instanceof Error ? err.message : String(err) }, 'job failed');
    if (this.config.notify) notify('dropscribe', `Could not transcribe ${job.relPath}`);
  }

  private reportRefused(id: number): void {
    reportRefusal(this.jobs, this.config.outbox, id, this.log);
  }

  /** Start the warm workers a new file will need while it goes through its stability window. */
  private prewarm(path: string): void {
    const inbox = inboxOf(this.config, path);
    if (!this.warm || !inbox || this.intake.paused || skipReason(path)) return;
    for (const [key, stage] of warmKeysFor(settingsFor(this.config, inbox, path), this.config, isAppleSilicon())) {
      this.warm.prime(key, stage, this.config.jobs.concurrency);
    }
  }

  /** Renew leases and honour cancel requests made by `dropscribe cancel`. */
  /** Publish the results of finished originals under the names of their duplicates (see duplicates.ts). */
  private publishDuplicates(): void {
    publishReadyDuplicates(this.jobs, this.config.outbox, this.log, this.config.subtitles);
  }

  private tendActiveJobs(): void {
    void this.team?.dispatcher.tend();
    for (const [id, a] of this.active) {
      this.jobs.renewLease(id, this.owner, LEASE_MS);
      if (!a.controller.signal.aborted && this.jobs.isCancelRequested(id))
        a.controller.abort('cancel' satisfies StopReason);
    }
    this.writeStatusFile();
    if (this.active.size < this.config.jobs.concurrency) this.pump();
    else this.publishDuplicates();
  }

  /** The live state `dropscribe status` shows next to the job table: budget, reservations, intake. */
  private writeStatusFile(): void {
    if (!this.scheduler) return;
    const content = JSON.stringify({
      pid: process.pid,
      intakePaused: this.intake?.paused ?? false,
      pendingFiles: this.intake?.pendingCount ?? 0,
      memory: this.scheduler.snapshot(),
    });
    if (content === this.lastStatus) return; // idle: nothing to write
    try {
      writeFileAtomic(join(this.config.dataDir, 'status.json'), content);
      this.lastStatus = content;
    } catch {
      /* status is best effort */
    }
  }
}
