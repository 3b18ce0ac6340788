// How the dispatcher ends a job that threw: put it back (shutdown), cancel it, try it later (the outbox, a full disk,
// a file still changing) or fail it with its error report, as failurePolicy.ts decides.
import type { Config } from '../config/config.js';
import { publishErrorReport } from '../output/errorReports.js';
import type { Logger } from '../platform/log.js';
import { notify } from '../platform/notify.js';
import type { JobSource } from '../queue/jobSource.js';
import type { PublishStores } from '../output/publisher.js';
import type { Job } from '../store/jobRow.js';
import { failureOutcome, type StopReason } from './failurePolicy.js';
import type { Waits } from './waits.js';

export interface FailedJobDeps {
  config: Config;
  source: JobSource;
  /** The error report is published by the publisher's rule (output/publisher.ts), which reads what was written. */
  stores: PublishStores;
  waits: Waits;
  removeWorkDir: (job: Job) => void;
}

/** A job whose run threw `err`; `signal` tells whether it was stopped from outside (and why). */
export interface FailedRun {
  job: Job;
  err: unknown;
  signal: AbortSignal;
  log: Logger;
}

export async function endFailedJob(deps: FailedJobDeps, { job, err, signal, log }: FailedRun): Promise<void> {
  const { config, source, stores, waits } = deps;
  const stop = signal.aborted ? (signal.reason as StopReason) : undefined;
  const end = failureOutcome(job, err, {
    stop,
    settleMs: config.stability.settleSec * 1000,
    dataDir: config.dataDir,
  });
  switch (end.action) {
    case 'shutdown':
      await source.release(job);
      log.info('job put back in the queue for the next start');
      return;
    case 'cancel':
      await source.canceled(job);
      deps.removeWorkDir(job);
      log.info('job canceled');
      return;
    case 'retry':
      if (end.kind === 'disk-full') waits.noteDiskFull(`job ${job.id}`, err);
      await source.retryLater(job, end.delayMs, { message: end.message, kind: end.kind });
      if (end.kind === 'outbox')
        log.warn({ err: end.message, retryInMs: end.delayMs }, 'could not publish; waiting for the outbox');
      else if (end.kind === 'disk-full')
        log.warn({ err: end.message, retryInMs: end.delayMs }, 'the disk is full; the job waits for space');
      else log.info({ retryInMs: end.delayMs }, 'could not read the file, which changed recently; will try again');
      return;
    case 'fail': {
      const outputs: string[] = [];
      try {
        outputs.push(...publishErrorReport({ stores, job, outbox: config.outbox, message: end.message }));
      } catch (e) {
        log.error({ err: (e as Error).message }, 'could not write the error report to the outbox');
      }
      await source.fail(job, { message: end.message, kind: end.kind, outputs });
      log.error({ kind: end.kind, err: err instanceof Error ? err.message : String(err) }, 'job failed');
      if (config.notify) notify('dropscribe', `Could not transcribe ${job.relPath}`);
    }
  }
}
