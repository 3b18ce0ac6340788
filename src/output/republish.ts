// Publishing corrections (the web page's, and speaker names from `dropscribe speakers`): the corrected transcript is
// rendered again and published atomically, kept as the job's corrected document (the original stays) and indexed.
// The publisher's rule holds: an output the user edited by hand is kept, and the corrected set takes a free name.
import type { Config } from '../config/config.js';
import type { CorrectionStore } from '../store/corrections.js';
import type { Db } from '../store/db.js';
import type { Job } from '../store/jobRow.js';
import type { SearchIndex } from '../store/searchIndex.js';
import { applyCorrection, CorrectionError, type Correction } from './corrections.js';
import type { TranscriptDocument } from './render/index.js';
import { OutputRefusedError } from './outboxError.js';
import type { PublishStores } from './publisher.js';
import { publishOutputs } from './transcriptOutputs.js';

/** What publishing corrections reads and writes: the kept documents, the search index, the files published, and the
 * database they are written in together. */
export type CorrectionStores = PublishStores & { db: Db; corrections: CorrectionStore; search: SearchIndex };

/** Corrections to a finished job, asked for by the user. */
export interface CorrectionRequest {
  config: Config;
  stores: CorrectionStores;
  job: Job;
  corrections: readonly Correction[];
}

/** Apply `correction` to what job `job` publishes now, publish the result, and return it. */
export function publishCorrection(
  request: Omit<CorrectionRequest, 'corrections'> & { correction: Correction },
): TranscriptDocument {
  const { correction, ...rest } = request;
  return publishCorrections({ ...rest, corrections: [correction] }).transcript;
}

/** Several corrections applied in turn and published once (the page's edits, `dropscribe speakers`' names). */
export function publishCorrections(request: CorrectionRequest): { transcript: TranscriptDocument; written: string[] } {
  const { config, stores, job, corrections } = request;
  const current = job.state === 'done' ? stores.corrections.current(job.id) : undefined;
  if (!current) throw new CorrectionError(`job ${job.id} has no finished transcript to correct`);
  const corrected = corrections.reduce(applyCorrection, current);
  // Asked for by hand, like a retry: beside a recording a file in the way makes a free name, not a skip.
  const asked = { ...job, overwrite: true };
  let published;
  try {
    published = publishOutputs({
      stores,
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
  stores.db.transaction(() => {
    stores.corrections.save(job.id, corrected);
    stores.corrections.published(job.id, written, published.note);
    stores.search.index(job.id, corrected.segments);
  })();
  return { transcript: corrected, written };
}
