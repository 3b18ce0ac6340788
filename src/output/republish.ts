// Publishing a correction: the corrected transcript is rendered again and published atomically, kept as the
// job's corrected document (the original stays) and indexed for search.
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
  const current = job.state === 'done' ? jobs.corrections.current(job.id) : undefined;
  if (!current) throw new CorrectionError(`job ${job.id} has no finished transcript to correct`);
  const corrected = applyCorrection(current, correction);
  publishOutputs(job, config.outbox, corrected, job.settings.formats, config.subtitles);
  jobs.db.transaction(() => {
    jobs.corrections.save(job.id, corrected);
    jobs.search.index(job.id, corrected.segments);
    jobs.db.prepare('UPDATE jobs SET updated_at = ? WHERE id = ?').run(jobs.now(), job.id);
  })();
  return corrected;
}
