// Publishing corrections (the web page's, and speaker names from `dropscribe speakers`): the corrected transcript is
// rendered again and published atomically, kept as the job's corrected document (the original stays) and indexed.
// The publisher's rule holds: an output the user edited by hand is kept, and the corrected set takes a free name.
import type { Config } from '../config/config.js';
import type { Job, JobStore } from '../store/jobs.js';
import { applyCorrection, CorrectionError, type Correction } from './corrections.js';
import type { TranscriptDocument } from './render/index.js';
import { OutputRefusedError } from './outboxError.js';
import { publishOutputs } from './transcriptOutputs.js';

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
  // Asked for by hand, like a retry: beside a recording a file in the way makes a free name, not a skip.
  const asked = { ...job, overwrite: true };
  let published;
  try {
    published = publishOutputs({
      jobs,
      job: asked,
      outbox: config.outbox,
      doc: corrected,
      subtitles: config.subtitles,
    });
  } catch (err) {
    if (err instanceof OutputRefusedError) throw new CorrectionError(err.message);
    throw err;
  }
  const written = published.outputs;
  jobs.db.transaction(() => {
    jobs.corrections.save(job.id, corrected);
    jobs.corrections.published(job.id, written, published.note);
    jobs.search.index(job.id, corrected.segments);
  })();
  return { transcript: corrected, written };
}
