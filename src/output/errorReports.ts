// The error reports, published through the publisher: <name>.error.txt where a job's outputs would have gone when it
// failed, or in the outbox for an input refused at intake. (The outputs of a transcript: transcriptOutputs.ts.)
import type { Job, JobStore } from '../store/jobs.js';
import type { Refusal, RefusalStore } from '../store/refusals.js';
import type { Logger } from '../platform/log.js';
import { errorReportPath, outputPlace } from './outputNames.js';
import { publishDeps, publishSet, type PublishDeps, type Published } from './publisher.js';

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
