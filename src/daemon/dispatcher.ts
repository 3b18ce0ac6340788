// The dispatcher: claims jobs from its job source while job slots are free, runs each through the pipeline, publishes
// its outputs or ends it as failurePolicy.ts decides, renews leases (a 'stop' cancels the run) and writes the live
// status file. It does not know which source it has (local SQLite queue or the team's).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { changedSinceIntake } from '../intake/arrival.js';
import { publishReadyDuplicates } from '../output/duplicates.js';
import { publishErrorReport, publishOutputs } from '../output/report.js';
import { runPipeline, workDirFor } from '../pipeline/pipeline.js';
import { writeFileAtomic } from '../platform/atomicWrite.js';
import type { Logger } from '../platform/log.js';
import { notify } from '../platform/notify.js';
import type { MemoryScheduler } from '../resources/scheduler.js';
import type { JobSource } from '../queue/jobSource.js';
import { isAppleSilicon } from '../stages/backends.js';
import type { WarmPool } from '../stages/warmPool.js';
import type { Job, JobStore } from '../store/jobs.js';
import { failureOutcome, type StopReason } from './failurePolicy.js';

/** How long a claimed job stays ours without a renewal; renewed every second while it runs. */
export const LEASE_MS = 120_000;

export interface DispatcherDeps {
  config: Config;
  /** Where jobs come from and their outcomes go. */
  source: JobSource;
  jobs: JobStore;
  scheduler: MemoryScheduler;
  log: Logger;
  workRoot: string;
  warm: WarmPool | undefined;
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
  private readonly active = new Map<number, Active>();
  private stopping = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private lastStatus = '';
  private claiming: Promise<void> | undefined;
  private readonly renewing = new Set<number>();

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
    this.leaseTimer = setInterval(() => void this.tend(), 1000);
    this.writeStatusFile();
    void this.pump();
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
    const { config, source } = this.d;
    const free = config.jobs.concurrency - this.active.size;
    if (free > 0) {
      const claimed = await source.claim(free).catch((err: Error) => {
        this.d.log.error({ err: err.message }, 'could not take jobs from the queue');
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
    const { config, jobs, source } = this.d;
    const log = this.d.log.child({ jobId: job.id });
    log.info({ file: job.relPath, attempt: job.attempts }, 'job started');
    try {
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
        await source.canceled(job);
        this.removeWorkDir(job);
        log.info(
          { file: job.relPath },
          'the file changed while it was transcribed; its new content will be taken instead',
        );
        return;
      }
      // A retry never publishes over the user's corrections: it keeps them, says so, and keeps the new original.
      const corrected = jobs.corrections.get(job.id);
      const published = corrected?.document ?? result.document;
      const notes = corrected ? [...result.notes, keptCorrectionsNote(corrected.editedAt)] : result.notes;
      const outputs = publishOutputs(job, config.outbox, published, job.settings.formats, config.subtitles);
      await source.finish(job, { outputs, ...result, notes, published });
      this.removeWorkDir(job);
      log.info(
        { file: job.relPath, outputs: outputs.length, degraded: result.degraded.length || undefined },
        'job done',
      );
      if (config.notify) notify('dropscribe', `Transcribed ${job.relPath}`);
    } catch (err) {
      await this.endFailedJob(job, err, signal, log);
    }
  }

  private async endFailedJob(job: Job, err: unknown, signal: AbortSignal, log: Logger): Promise<void> {
    const { config, source } = this.d;
    const stop = signal.aborted ? (signal.reason as StopReason) : undefined;
    const end = failureOutcome(job, err, stop, config.stability.settleSec * 1000);
    switch (end.action) {
      case 'shutdown':
        await source.release(job);
        log.info('job put back in the queue for the next start');
        return;
      case 'cancel':
        await source.canceled(job);
        this.removeWorkDir(job);
        log.info('job canceled');
        return;
      case 'retry':
        await source.retryLater(job, end.delayMs, { message: end.message, kind: end.kind });
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
        await source.fail(job, { message: end.message, kind: end.kind, outputs });
        log.error({ kind: end.kind, err: err instanceof Error ? err.message : String(err) }, 'job failed');
        if (config.notify) notify('dropscribe', `Could not transcribe ${job.relPath}`);
      }
    }
  }

  private removeWorkDir(job: Job): void {
    rmSync(workDirFor(this.d.workRoot, job.id), { recursive: true, force: true });
  }

  /** Publish the results of finished originals under the names of their duplicates (see duplicates.ts). */
  private publishDuplicates(): void {
    publishReadyDuplicates(this.d.jobs, this.d.config.outbox, this.d.log, this.d.config.subtitles);
  }

  /** Renew leases; a job its source says to stop (a cancel request, a lease lost) is stopped (every second). */
  tend(): Promise<void> {
    const renewals = [...this.active].map(([id, a]) => this.renew(id, a));
    this.writeStatusFile();
    if (this.active.size < this.d.config.jobs.concurrency) void this.pump();
    else this.publishDuplicates();
    return Promise.all(renewals).then(() => {});
  }

  private async renew(id: number, a: Active): Promise<void> {
    if (this.renewing.has(id)) return; // the last renewal is still on its way (a slow team database)
    this.renewing.add(id);
    try {
      if ((await this.d.source.renew(a.job)) === 'stop' && !a.controller.signal.aborted)
        a.controller.abort('cancel' satisfies StopReason);
    } catch (err) {
      this.d.log.warn({ jobId: id, err: (err as Error).message }, 'could not renew the lease');
    } finally {
      this.renewing.delete(id);
    }
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

const keptCorrectionsNote = (editedAt: number) =>
  `kept the corrections made in the web page on ${new Date(editedAt).toISOString()}; ` +
  'the new transcript is kept as the original';
