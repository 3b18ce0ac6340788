// Publishing a job's end through the publisher: the rendered outputs on success, or <name>.error.txt on failure or
// refusal at intake.
import type { SubtitleSettings } from '../config/config.js';
import type { Job, JobStore } from '../store/jobs.js';
import type { Refusal, RefusalStore } from '../store/refusals.js';
import type { Logger } from '../platform/log.js';
import { nameTag, outputPath, outputPlace } from './outputNames.js';
import { publishSet, type PublishDeps, type Published } from './publisher.js';
import { RENDERERS, type TranscriptDocument } from './render/index.js';

/** What publishing a job's outputs reads: its files, and the output stems other recordings' jobs hold. */
export function publishDeps(jobs: Pick<JobStore, 'outputFiles' | 'stems'>): PublishDeps {
  return { files: jobs.outputFiles, stemInUse: (stem, input) => jobs.stems.isTaken(stem, '', input) };
}

export interface JobOutputs {
  jobs: Pick<JobStore, 'outputFiles' | 'stems'>;
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
export function publishOutputs(o: JobOutputs): Published {
  const { job, doc, subtitles } = o;
  const place = outputPlace(job, o.outbox);
  const { translation, ...source } = doc;
  const docs = [
    { doc: source, tag: nameTag(source, job.settings.output, false) },
    ...(translation ? [{ doc: translation, tag: nameTag(translation, job.settings.output, true) }] : []),
  ];
  const rendered = docs.flatMap(({ doc: d, tag }) =>
    job.settings.formats.map((f) => ({ format: f, tag, content: RENDERERS[f](d, subtitles, job.input) })),
  );
  return publishSet(
    publishDeps(o.jobs),
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
    o.unsynced,
  );
}

/** Where the failure report of outputs named `stem` goes. */
export function errorReportPath(stem: string): string {
  return `${stem}.error.txt`;
}

/** Write the plain-words failure report where the outputs would have gone (the outbox, or beside the recording).
 * Returns what was written: nothing when it was skipped beside a recording (a file of the user's is in the way). */
export function publishErrorReport(
  jobs: Pick<JobStore, 'outputFiles' | 'stems'>,
  job: Job,
  outbox: string,
  report: string,
): string[] {
  const place = outputPlace(job, outbox);
  const text = reportText(job.relPath, report, `To try again: dropscribe retry ${job.id}`);
  return writeReport(publishDeps(jobs), { input: job.input, jobId: job.id }, place, text, job).outputs;
}

/** A refusal intake just recorded, with the name its report takes (intake.ts RefusedInput). */
export interface RefusedFile {
  refusal: Pick<Refusal, 'id' | 'path' | 'reason'>;
  relPath: string;
  outputStem: string;
}

/** Write the report for an input refused at intake and record where it went. */
export function reportRefusal(refusals: RefusalStore, outbox: string, r: RefusedFile, log: Logger): void {
  try {
    const how = 'Nothing was read from it. To transcribe it, drop the recording itself (a regular file) into an inbox.';
    const text = reportText(r.relPath, `The file was refused: ${r.refusal.reason}.`, how);
    const place = { root: outbox, stem: r.outputStem };
    const [report] = writeReport(
      { files: refusals.outputFiles },
      { input: r.refusal.path, jobId: null },
      place,
      text,
    ).outputs;
    if (report) refusals.setReport(r.refusal.id, report);
  } catch (e) {
    log.error({ err: (e as Error).message }, 'could not write the refusal report');
  }
}

function reportText(relPath: string, report: string, next: string): string {
  return `dropscribe could not transcribe ${relPath}\n\n${report}\n\n${next}\n`;
}

function writeReport(
  deps: PublishDeps,
  owner: { input: string; jobId: number | null },
  place: { root: string; stem: string },
  content: string,
  job?: Job,
): Published {
  return publishSet(deps, {
    owner,
    root: place.root,
    stem: place.stem,
    beside: job?.settings.output.beside ?? false,
    overwrite: job?.overwrite ?? false,
    files: (stem) => [{ path: errorReportPath(stem), content }],
  });
}
