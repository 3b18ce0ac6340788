// The dispatcher: claims ready jobs while job slots are free, runs each through the pipeline, publishes its outputs
// or ends it as failurePolicy.ts decides, renews leases, passes cancel requests on and writes the live status file.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { changedSinceIntake } from '../intake/arrival.js';
import { writeFileAtomic } from '../output/atomicWrite.js';
import { publishReadyDuplicates } from '../output/duplicates.js';
import { publishErrorReport, publishOutputs } from '../output/report.js';
import { knownLanguage, skipNote, subtitleInTheWay } from '../output/besideSkip.js';
import { textLanguage } from '../output/outputNames.js';
import { runPipeline, workDirFor } from '../pipeline/pipeline.js';
import type { Logger } from '../platform/log.js';
import { notify } from '../platform/notify.js';
import type { MemoryScheduler } from '../resources/scheduler.js';
import { isAppleSilicon } from '../stages/backends.js';
import type { WarmPool } from '../stages/warmPool.js';
import type { Job, JobStore } from '../store/jobs.js';
import type { TeamMode } from '../team/teamMode.js';
import { failureOutcome, type StopReason } from './failurePolicy.js';

/** How long a claimed job stays ours without a renewal; renewed every second while it runs. */
export const LEASE_MS = 120_000;

export interface DispatcherDeps {
  config: Config;
  jobs: JobStore;
  scheduler: MemoryScheduler;
  log: Logger;
  workRoot: string;
  warm: WarmPool | undefined;
  /** Who holds the leases: host and process id. */
  owner: string;
  /** What the status file says about intake. */
  intake: () => { paused: boolean; pendingCount: number } | undefined;
  /** Runs a job's stages; the real pipeline unless a test scripts it. */
  pipeline?: typeof runPipeline;
}

interface Active {
  job: Job;
  controller: AbortController;
  done: Promise<void>;
}

export class Dispatcher {
  /** Team mode: jobs come from the shared queue (see team/teamDispatch.ts); set once team mode has started. */
  team: TeamMode | undefined;
  private readonly active = new Map<number, Active>();
  private stopping = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private lastStatus = '';

  constructor(private readonly d: DispatcherDeps) {}

  /** Jobs running now. */
  get running(): number {
    return this.active.size;
  }

  activeJobIds(): Set<number> {
    return new Set(this.active.keys());
  }

  /** Tend the running jobs every second, write the status file and start what is ready. */
  start(): void {
    this.leaseTimer = setInterval(() => this.tend(), 1000);
    this.writeStatusFile();
    this.pump();
  }

  /** Start nothing more (the first step of a shutdown). */
  halt(): void {
    this.stopping = true;
    clearTimeout(this.wakeTimer);
    clearInterval(this.leaseTimer);
  }

  /** Stop the running jobs, which go back to the queue, and wait for them; the status file goes. */
  async drain(): Promise<void> {
    this.halt();
    for (const a of this.active.values()) a.controller.abort('shutdown' satisfies StopReason);
    await Promise.allSettled([...this.active.values()].map((a) => a.done));
  }

  removeStatusFile(): void {
    rmSync(join(this.d.config.dataDir, 'status.json'), { force: true });
  }

  /** Start queued jobs while there are free job slots. */
  pump(): void {
    if (this.stopping) return;
    const { config, jobs } = this.d;
    clearTimeout(this.wakeTimer);
    this.publishDuplicates();
    if (this.team) {
      void this.team.dispatcher.pump();
      this.writeStatusFile();
      return;
    }
    while (this.active.size < config.jobs.concurrency) {
      const job = jobs.claimNext(this.d.owner, LEASE_MS);
      if (!job) break;
      this.startJob(job);
    }
    const next = jobs.nextReadyAt();
    if (next !== undefined && this.active.size < config.jobs.concurrency) {
      this.wakeTimer = setTimeout(() => this.pump(), Math.max(50, next - Date.now()));
      this.wakeTimer.unref();
    }
    this.writeStatusFile();
  }

  /** Run a claimed job; when it ends, free its slot and look for the next. */
  startJob(job: Job): void {
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
    const { config, jobs } = this.d;
    const log = this.d.log.child({ jobId: job.id });
    log.info({ file: job.relPath, attempt: job.attempts }, 'job started');
    try {
      const before = subtitleInTheWay(job, config.outbox, knownLanguage(job.settings));
      if (before) return this.skip(job, before, log);
      const result = await (this.d.pipeline ?? runPipeline)(
        job,
        {
          config,
          jobs,
          scheduler: this.d.scheduler,
          log: this.d.log,
          workRoot: this.d.workRoot,
          appleSilicon: isAppleSilicon(),
          warm: this.d.warm,
        },
        signal,
      );
      if (changedSinceIntake(job)) {
        // Transcribed from a file that was still being written: publish nothing; intake takes the new content.
        jobs.markCanceled(job.id);
        this.removeWorkDir(job);
        log.info(
          { file: job.relPath },
          'the file changed while it was transcribed; its new content will be taken instead',
        );
        return;
      }
      const after = subtitleInTheWay(job, config.outbox, textLanguage(result.document));
      if (after) return this.skip(job, after, log);
      const outputs = publishOutputs(job, config.outbox, result.document, job.settings.formats, config.subtitles);
      jobs.complete(job.id, outputs, result.degraded, result.notes, result.document);
      this.removeWorkDir(job);
      log.info(
        { file: job.relPath, outputs: outputs.length, degraded: result.degraded.length || undefined },
        'job done',
      );
      if (config.notify) notify('dropscribe', `Transcribed ${job.relPath}`);
    } catch (err) {
      this.endFailedJob(job, err, signal, log);
    }
  }

  private endFailedJob(job: Job, err: unknown, signal: AbortSignal, log: Logger): void {
    const { config, jobs } = this.d;
    const stop = signal.aborted ? (signal.reason as StopReason) : undefined;
    const end = failureOutcome(job, err, stop, config.stability.settleSec * 1000);
    switch (end.action) {
      case 'shutdown':
        jobs.requeue(job.id);
        log.info('job put back in the queue for the next start');
        return;
      case 'cancel':
        jobs.markCanceled(job.id);
        this.removeWorkDir(job);
        log.info('job canceled');
        return;
      case 'retry':
        jobs.requeue(job.id, end.delayMs, { message: end.message, kind: end.kind });
        if (end.kind === 'outbox')
          log.warn({ err: end.message, retryInMs: end.delayMs }, 'could not publish; will retry');
        else log.info({ retryInMs: end.delayMs }, 'could not read the file, which changed recently; will try again');
        return;
      case 'fail': {
        const outputs: string[] = [];
        try {
          outputs.push(publishErrorReport(job, config.outbox, end.message));
        } catch (e) {
          log.error({ err: (e as Error).message }, 'could not write the error report to the outbox');
        }
        jobs.fail(job.id, end.message, end.kind, outputs);
        log.error({ kind: end.kind, err: err instanceof Error ? err.message : String(err) }, 'job failed');
        if (config.notify) notify('dropscribe', `Could not transcribe ${job.relPath}`);
      }
    }
  }

  private removeWorkDir(job: Job): void {
    rmSync(workDirFor(this.d.workRoot, job.id), { recursive: true, force: true });
  }

  /** Publish the results of finished originals under the names of their duplicates (see duplicates.ts). */
  /** Done without outputs: the recording already has its subtitle beside it. */
  private skip(job: Job, subtitle: string, log: Logger): void {
    this.d.jobs.complete(job.id, [], [], [skipNote(job, subtitle)]);
    this.removeWorkDir(job);
    log.info({ file: job.relPath, subtitle }, 'skipped: its subtitle is already beside it');
  }

  private publishDuplicates(): void {
    publishReadyDuplicates(this.d.jobs, this.d.config.outbox, this.d.log, this.d.config.subtitles);
  }

  /** Renew leases and honour cancel requests made by `dropscribe cancel` (every second once started). */
  tend(): void {
    void this.team?.dispatcher.tend();
    for (const [id, a] of this.active) {
      this.d.jobs.renewLease(id, this.d.owner, LEASE_MS);
      if (!a.controller.signal.aborted && this.d.jobs.isCancelRequested(id))
        a.controller.abort('cancel' satisfies StopReason);
    }
    this.writeStatusFile();
    if (this.active.size < this.d.config.jobs.concurrency) this.pump();
    else this.publishDuplicates();
  }

  /** The live state `dropscribe status` shows next to the job table: budget, reservations, intake. */
  writeStatusFile(): void {
    const intake = this.d.intake();
    const content = JSON.stringify({
      pid: process.pid,
      intakePaused: intake?.paused ?? false,
      pendingFiles: intake?.pendingCount ?? 0,
      memory: this.d.scheduler.snapshot(),
    });
    if (content === this.lastStatus) return; // idle: nothing to write
    try {
      writeFileAtomic(join(this.d.config.dataDir, 'status.json'), content);
      this.lastStatus = content;
    } catch {
      /* status is best effort */
    }
  }
}
