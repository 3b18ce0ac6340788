// Publishing corrections (the web page's, and speaker names from `dropscribe speakers`): the corrected transcript is
// rendered again and published atomically, kept as the job's corrected document (the original stays) and indexed.
import type { Config } from '../config.js';
import type { Job, JobStore } from '../store/jobs.js';
import { applyCorrection, CorrectionError, type Correction } from './corrections.js';
import type { TranscriptDocument } from './render/index.js';
import { publishOutputs } from './report.js';

/** Apply `correction` to what job `job` publishes now, publish the result, and return it. */
export function publishCorrection(
  config: Config,
  jobs: JobStore,
  job: Job,
  correction: Correction,
): TranscriptDocument {
  return publishCorrections(config, jobs, job, [correction]).transcript;
}

/** Several corrections applied in turn and published once (the page's edits, `dropscribe speakers`' names). */
export function publishCorrections(
  config: Config,
  jobs: JobStore,
  job: Job,
  corrections: readonly Correction[],
): { transcript: TranscriptDocument; written: string[] } {
  const current = job.state === 'done' ? jobs.corrections.current(job.id) : undefined;
  if (!current) throw new CorrectionError(`job ${job.id} has no finished transcript to correct`);
  const corrected = corrections.reduce(applyCorrection, current);
  const written = publishOutputs(job, config.outbox, corrected, job.settings.formats, config.subtitles);
  jobs.db.transaction(() => {
    jobs.corrections.save(job.id, corrected);
    jobs.search.index(job.id, corrected.segments);
    jobs.db.prepare('UPDATE jobs SET updated_at = ? WHERE id = ?').run(jobs.now(), job.id);
  })();
  return { transcript: corrected, written };
}
