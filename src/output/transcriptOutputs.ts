// The outputs of a transcript: every format of its job's settings rendered (and its translation, as name.en.*) and
// published together through the publisher, in the outbox or beside the recording; a stale error report of ours goes.
// A finished job, a duplicate, a correction and a re-export all publish through here.
import type { SubtitleSettings } from '../config/config.js';
import type { Job } from '../store/jobRow.js';
import { errorReportPath, nameTag, outputPath, outputPlace } from './outputNames.js';
import { publishDeps, publishSet, type PublishStores, type Published } from './publisher.js';
import { RENDERERS, type TranscriptDocument } from './render/index.js';

export interface JobOutputs {
  stores: PublishStores;
  job: Job;
  outbox: string;
  /** What to publish (a duplicate's is named after it; a corrected one holds the user's corrections). */
  doc: TranscriptDocument;
  subtitles?: SubtitleSettings;
  /** See outbox.ts publish. */
  unsynced?: Set<string>;
}

/** Render every format of the job's settings for the transcript (and its translation, as name.en.*) and publish them
 * together, in the outbox or beside the recording, as the publisher's rule allows; a stale error report of ours goes. */
export function publishOutputs(request: JobOutputs): Published {
  const { job, doc, subtitles } = request;
  const place = outputPlace(job, request.outbox);
  const { translation, ...source } = doc;
  const docs = [
    { doc: source, tag: nameTag(source, job.settings.output, false) },
    ...(translation ? [{ doc: translation, tag: nameTag(translation, job.settings.output, true) }] : []),
  ];
  const rendered = docs.flatMap(({ doc: d, tag }) =>
    job.settings.formats.map((f) => ({ format: f, tag, content: RENDERERS[f](d, subtitles, job.input) })),
  );
  return publishSet(
    publishDeps(request.stores),
    {
      owner: { input: job.input, jobId: job.id },
      root: place.root,
      stem: place.stem,
      beside: job.settings.output.beside,
      overwrite: job.overwrite,
      files: (stem) =>
        rendered.map((r) => ({ path: outputPath({ ...place, stem }, r.format, r.tag), content: r.content })),
      stale: (stem) => [errorReportPath(stem)],
    },
    request.unsynced,
  );
}
