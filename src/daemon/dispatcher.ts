// The dispatcher: claims jobs from its job source while job slots are free, runs each through the pipeline, ends it
// (endFinishedJob.ts: published, skipped, renamed or canceled as output/jobEnd.ts decides; endFailedJob.ts: as
// failurePolicy.ts decides), publishes ready duplicates (output/duplicates.ts), renews leases (a 'stop' cancels the
// run) and writes the live status file. It does not know which source it has (local SQLite queue or the team's). A
// full disk anywhere on the way (SQLite too) makes the job wait and pauses intake (waits.ts), never crashes it.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { publishReadyDuplicates, type DuplicateStores } from '../output/duplicates.js';
import { runPipeline, workDirFor, type PipelineDeps } from '../pipeline/pipeline.js';
import { writeFileAtomic } from '../platform/atomicWrite.js';
import type { Logger } from '../platform/log.js';
import { isDiskFull } from '../resources/diskFull.js';
import type { MemoryScheduler } from '../resources/scheduler.js';
import type { JobSource } from '../queue/jobSource.js';
import type { RequestSlots } from '../resources/requestSlots.js';
import { serverSlots } from '../resources/serverSlots.js';
import { isAppleSilicon } from '../stages/backends.js';
import type { WarmPool } from '../stages/warmPool.js';
import type { Job } from '../store/jobRow.js';
import { endFailedJob } from './endFailedJob.js';
import { endFinishedJob, skippedBeforeRun, type FinishedJobDeps } from './endFinishedJob.js';
import type { StopReason } from './failurePolicy.js';
import { Waits, type WaitStores } from './waits.js';

/** How long a claimed job stays ours without a renewal; renewed every second while it runs. */
export const LEASE_MS = 120_000;

export interface DispatcherDeps {
  config: Config;
  /** Where jobs come from and their outcomes go. */
  source: JobSource;
  /** What the dispatcher itself reads and writes: ready duplicates and their ends (which cover a job's end's facts
   * and its publishing), the waiting jobs and stale leases (waits.ts). */
  stores: DuplicateStores & WaitStores;
  /** The pipeline's stores (pipeline.ts PipelineDeps), passed through to it. */
  pipelineStores: PipelineDeps['jobs'];
  scheduler: MemoryScheduler;
  log: Logger;
  workRoot: string;
  warm: WarmPool | undefined;
  /** What the status file says about intake. */
  intake: () => { paused: boolean; pendingCount: number } | undefined;
  /** Pause intake while the data folder's disk is full, resume when there is space (waits.ts). */
  pauseIntakeForDisk: (paused: boolean) => void;
  /** Runs a job's stages; the real pipeline unless a test scripts it. */
  pipeline?: typeof runPipeline;
}

interface Active {
  job: Job;
  controller: AbortController;
  done: Promise<void>;
}

export class Dispatcher {
  private readonly active = new Map<number, Active>();
  private stopping = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private nextBatch: NodeJS.Immediate | undefined; // the next batch of duplicates to publish (publishDuplicates)
  private leaseTimer: NodeJS.Timeout | undefined;
  private lastStatus = '';
  private claiming: Promise<void> | undefined;
  private readonly renewing = new Set<number>();
  /** Aborted when the dispatcher halts: a job's end waiting for disk space stops waiting. */
  private readonly halted = new AbortController();

  /** Requests in flight to the transcription server, over all jobs (backends.openai.concurrency). */
  private readonly serverSlots: RequestSlots;
  /** Jobs waiting for the outbox or for disk space, and the probes that wake them. */
  readonly waits: Waits;

  constructor(private readonly deps: DispatcherDeps) {
    this.serverSlots = serverSlots(deps.config.backends.openai.concurrency, deps.log);
    this.waits = new Waits({
      config: deps.config,
      stores: deps.stores,
      hooks: {
        pauseIntake: deps.pauseIntakeForDisk,
        activeJobIds: () => this.activeJobIds(),
        pump: () => void this.pump(),
      },
      log: deps.log,
    });
  }

  /** Jobs running now. */
  get running(): number {
    return this.active.size;
  }

  activeJobIds(): Set<number> {
    return new Set(this.active.keys());
  }

  /** Tend the running jobs every second, write the status file and start what is ready. */
  start(): void {
    this.leaseTimer = setInterval(() => void this.tend(), 1000);
    this.writeStatusFile();
    void this.pump();
  }

  /** Start nothing more (the first step of a shutdown). */
  halt(): void {
    this.stopping = true;
    this.halted.abort();
    clearTimeout(this.wakeTimer);
    clearImmediate(this.nextBatch);
    clearInterval(this.leaseTimer);
  }

  /** Stop the running jobs, which go back to the queue, and wait for them; the status file goes. */
  async drain(): Promise<void> {
    this.halt();
    for (const a of this.active.values()) a.controller.abort('shutdown' satisfies StopReason);
    await Promise.allSettled([...this.active.values()].map((a) => a.done));
  }

  removeStatusFile(): void {
    rmSync(join(this.deps.config.dataDir, 'status.json'), { force: true });
  }

  /** Start jobs from the source while there are free job slots; resolves once those it claimed have started. */
  pump(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    clearTimeout(this.wakeTimer);
    this.publishDuplicates();
    this.claiming ??= this.claim().finally(() => {
      this.claiming = undefined;
      this.writeStatusFile();
    });
    return this.claiming;
  }

  private async claim(): Promise<void> {
    const { config, source } = this.deps;
    const free = config.jobs.concurrency - this.active.size;
    if (free > 0) {
      const claimed = await source.claim(free).catch((err: Error) => {
        if (isDiskFull(err))
          this.waits.noteDiskFull('claiming a job', err); // the probe pumps again with space
        else this.deps.log.error({ err: err.message }, 'could not take jobs from the queue');
        return [];
      });
      for (const job of claimed) {
        if (this.stopping)
          await source.release(job); // halted while the source answered
        else this.startJob(job);
      }
    }
    const next = source.nextClaimAt();
    if (next !== undefined && !this.stopping && this.active.size < config.jobs.concurrency) {
      this.wakeTimer = setTimeout(() => void this.pump(), Math.max(50, next - Date.now()));
      this.wakeTimer.unref();
    }
  }

  /** Run a claimed job; when it ends, free its slot and look for the next. */
  private startJob(job: Job): void {
    const controller = new AbortController();
    const entry: Active = { job, controller, done: Promise.resolve() };
    this.active.set(job.id, entry);
    entry.done = this.runJob(job, controller.signal).finally(() => {
      this.active.delete(job.id);
      this.writeStatusFile();
      void this.pump();
    });
  }

  private async runJob(job: Job, signal: AbortSignal): Promise<void> {
    const { config, stores, source } = this.deps;
    const log = this.deps.log.child({ jobId: job.id });
    log.info({ file: job.relPath, attempt: job.attempts }, 'job started');
    const ends: FinishedJobDeps = {
      config,
      source,
      stores,
      removeWorkDir: (j) => this.removeWorkDir(j),
      recordEnd: (write) => this.recordEnd(write),
    };
    try {
      if (await skippedBeforeRun(ends, job, log)) return;
      const result = await (this.deps.pipeline ?? runPipeline)(
        job,
        {
          config,
          jobs: this.deps.pipelineStores,
          scheduler: this.deps.scheduler,
          serverSlots: this.serverSlots,
          log: this.deps.log,
          workRoot: this.deps.workRoot,
          appleSilicon: isAppleSilicon(),
          warm: this.deps.warm,
        },
        signal,
      );
      await endFinishedJob(ends, { job, run: result, log });
    } catch (err) {
      try {
        await this.recordEnd(() => endFailedJob({ ...ends, waits: this.waits }, { job, err, signal, log }));
      } catch (e) {
        // Its end could not be recorded, and the daemon is stopping (or the database refused for another reason):
        // it stays 'running' without a run; the next start's recovery, or the wait probe once its lease has run
        // out, puts it back in the queue.
        log.error({ err: (e as Error)?.message ?? String(e) }, 'could not record the end of the job');
      }
    }
  }

  /** Record a job's end. On a full disk the job keeps its slot (and its lease, renewed meanwhile) and the end is
   * written again as soon as the wait probe sees space: outputs already published stay, nothing runs again. */
  private async recordEnd(write: () => Promise<void>): Promise<void> {
    for (;;) {
      try {
        return await write();
      } catch (e) {
        if (!isDiskFull(e) || this.stopping) throw e;
        this.waits.noteDiskFull('recording the end of a job', e);
        this.deps.log.warn({ err: (e as Error).message }, 'could not record the end of the job; waiting for space');
        await this.waits.spaceBack(this.halted.signal);
      }
    }
  }

  private removeWorkDir(job: Job): void {
    rmSync(workDirFor(this.deps.workRoot, job.id), { recursive: true, force: true });
  }

  /** Publish the results of finished originals under the names of their duplicates (see duplicates.ts), a batch at
   * a time; after a batch the next one comes once the event loop has had its turn, not at the next tick (a flood). */
  private publishDuplicates(): void {
    const { stores, config, log } = this.deps;
    const published = publishReadyDuplicates({ stores, outbox: config.outbox, log, subtitles: config.subtitles });
    if (published === 0 || this.nextBatch) return;
    this.nextBatch = setImmediate(() => {
      this.nextBatch = undefined;
      void this.pump();
    });
  }

  /** Renew leases; a job its source says to stop (a cancel request, a lease lost) is stopped (every second). */
  tend(): Promise<void> {
    this.waits.tick();
    const renewals = [...this.active].map(([id, a]) => this.renew(id, a));
    this.writeStatusFile();
    if (this.active.size < this.deps.config.jobs.concurrency) void this.pump();
    else this.publishDuplicates();
    return Promise.all(renewals).then(() => {});
  }

  private async renew(id: number, a: Active): Promise<void> {
    if (this.renewing.has(id)) return; // the last renewal is still on its way (a slow team database)
    this.renewing.add(id);
    try {
      if ((await this.deps.source.renew(a.job)) === 'stop' && !a.controller.signal.aborted)
        a.controller.abort('cancel' satisfies StopReason);
    } catch (err) {
      if (isDiskFull(err)) this.waits.noteDiskFull('renewing a lease', err); // tried again in a second
      this.deps.log.warn({ jobId: id, err: (err as Error).message }, 'could not renew the lease');
    } finally {
      this.renewing.delete(id);
    }
  }

  /** The live state `dropscribe status` shows next to the job table: budget, reservations, intake. */
  writeStatusFile(): void {
    const intake = this.deps.intake();
    const content = JSON.stringify({
      pid: process.pid,
      intakePaused: intake?.paused ?? false,
      pendingFiles: intake?.pendingCount ?? 0,
      memory: this.deps.scheduler.snapshot(),
    });
    if (content === this.lastStatus) return; // idle: nothing to write
    try {
      writeFileAtomic(join(this.deps.config.dataDir, 'status.json'), content);
      this.lastStatus = content;
    } catch {
      /* status is best effort */
    }
  }
}
