// How the dispatcher ends a job whose run finished (or that is skipped before it runs), as output/jobEnd.ts decides on
// the facts output/jobEndFacts.ts reads: its outputs published through the one publisher and the job finished, or
// skipped (a file of the user's beside the recording), renamed (its duplicate publishes under the new name), or
// canceled (its input changed). The failed run's twin: endFailedJob.ts.
import type { Config } from '../config/config.js';
import { decideJobEnd, endBeforeRun, type JobEnd, type RunOutcome } from '../output/jobEnd.js';
import { inTheWayBeforeRun, jobEndFacts, type FactStores } from '../output/jobEndFacts.js';
import type { PublishStores } from '../output/publisher.js';
import { publishOutputs } from '../output/transcriptOutputs.js';
import type { Logger } from '../platform/log.js';
import { notify } from '../platform/notify.js';
import type { JobSource } from '../queue/jobSource.js';
import type { Job } from '../store/jobRow.js';

export interface FinishedJobDeps {
  config: Config;
  source: JobSource;
  /** The facts' stores (jobEndFacts.ts) and the publisher's. */
  stores: FactStores & PublishStores;
  removeWorkDir: (job: Job) => void;
  /** Writes a job's end, waiting for disk space while the disk is full (dispatcher.ts). */
  recordEnd: (write: () => Promise<void>) => Promise<void>;
}

/** Before the run: skip the job when its subtitle is already beside the recording; true when it was skipped. */
export async function skippedBeforeRun(deps: FinishedJobDeps, job: Job, log: Logger): Promise<boolean> {
  const end = endBeforeRun(job, inTheWayBeforeRun({ stores: deps.stores, outbox: deps.config.outbox }, job));
  if (!end) return false;
  await applyJobEnd(deps, { job, end, log });
  return true;
}

/** A job whose run finished with `run`. */
export interface FinishedRun {
  job: Job;
  run: RunOutcome;
  log: Logger;
}

/** End a job whose run produced `run`. */
export async function endFinishedJob(deps: FinishedJobDeps, { job, run, log }: FinishedRun): Promise<void> {
  const end = decideJobEnd(jobEndFacts({ stores: deps.stores, outbox: deps.config.outbox }, job, run));
  await applyJobEnd(deps, { job, end, run, log });
}

/** A job's end as decided; `run` is absent for a job skipped before it ran. */
async function applyJobEnd(
  deps: FinishedJobDeps,
  { job, end, run, log }: { job: Job; end: JobEnd; run?: RunOutcome; log: Logger },
): Promise<void> {
  const { config, source, stores } = deps;
  switch (end.action) {
    case 'cancel':
      await source.canceled(job, end.reason); // intake takes the new content
      deps.removeWorkDir(job);
      return log.info({ file: job.relPath }, end.reason);
    case 'skip':
      await deps.recordEnd(() => source.finish(job, { outputs: [], degraded: [], notes: end.notes }));
      deps.removeWorkDir(job);
      return log.info({ file: job.relPath, subtitle: end.inTheWay }, 'skipped: its subtitle is already beside it');
    case 'renamed':
      // Its duplicate at the new name publishes the outputs (output/duplicates.ts).
      await deps.recordEnd(() => source.finish(job, { ...run!, notes: end.notes, outputs: [] }));
      deps.removeWorkDir(job);
      return log.info({ file: job.relPath, to: end.to.relPath }, 'renamed while transcribed');
    case 'publish': {
      const published = publishOutputs({
        stores,
        job,
        outbox: config.outbox,
        doc: end.document,
        subtitles: config.subtitles,
      });
      // Skipped after all (a file of the user's beside it), or published under a free name: the note says so.
      const notes = published.note ? [...end.notes, published.note] : end.notes;
      const { outputs } = published;
      await deps.recordEnd(() =>
        source.finish(job, {
          outputs,
          degraded: end.degraded,
          notes,
          document: run!.document,
          published: end.document,
        }),
      );
      deps.removeWorkDir(job);
      log.info({ file: job.relPath, outputs: outputs.length, degraded: end.degraded.length || undefined }, 'job done');
      if (config.notify) notify('dropscribe', `Transcribed ${job.relPath}`);
    }
  }
}
