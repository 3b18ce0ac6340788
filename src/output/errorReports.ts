// The error reports, published through the publisher: <name>.error.txt where a job's outputs would have gone when it
// failed, or in the outbox for an input refused at intake. (The outputs of a transcript: transcriptOutputs.ts.)
import type { Job } from '../store/jobRow.js';
import type { Refusal, RefusalStore } from '../store/refusals.js';
import type { Logger } from '../platform/log.js';
import { errorReportPath, outputPlace } from './outputNames.js';
import { publishDeps, publishSet, type PublishDeps, type PublishStores, type Published } from './publisher.js';

/** A failed job's report: the job, where its outputs go, and what went wrong in plain words. */
export interface FailedJobReport {
  stores: PublishStores;
  job: Job;
  outbox: string;
  message: string;
}

/** Write the plain-words failure report where the outputs would have gone (the outbox, or beside the recording).
 * Returns what was written: nothing when it was skipped beside a recording (a file of the user's is in the way). */
export function publishErrorReport(failed: FailedJobReport): string[] {
  const { job } = failed;
  const place = outputPlace(job, failed.outbox);
  const content = reportText(job.relPath, failed.message, `To try again: dropscribe retry ${job.id}`);
  return writeReport(publishDeps(failed.stores), { owner: { input: job.input, jobId: job.id }, place, content, job })
    .outputs;
}

/** A refusal intake just recorded, with the name its report takes (intake.ts RefusedInput). */
export interface RefusedFile {
  refusal: Pick<Refusal, 'id' | 'path' | 'reason'>;
  relPath: string;
  outputStem: string;
}

/** An input refused at intake, to report in the outbox; a report that cannot be written is logged. */
export interface RefusalReport {
  refusals: RefusalStore;
  outbox: string;
  refused: RefusedFile;
  log: Logger;
}

/** Write the report for an input refused at intake and record where it went. */
export function reportRefusal({ refusals, outbox, refused: r, log }: RefusalReport): void {
  try {
    const how = 'Nothing was read from it. To transcribe it, drop the recording itself (a regular file) into an inbox.';
    const content = reportText(r.relPath, `The file was refused: ${r.refusal.reason}.`, how);
    const [report] = writeReport(
      { files: refusals.outputFiles },
      { owner: { input: r.refusal.path, jobId: null }, place: { root: outbox, stem: r.outputStem }, content },
    ).outputs;
    if (report) refusals.setReport(r.refusal.id, report);
  } catch (e) {
    log.error({ err: (e as Error).message }, 'could not write the refusal report');
  }
}

function reportText(relPath: string, report: string, next: string): string {
  return `dropscribe could not transcribe ${relPath}\n\n${report}\n\n${next}\n`;
}

/** A report to write: whose it is, where, and its text; `job` when a job's (its beside and overwrite settings). */
interface ReportFile {
  owner: { input: string; jobId: number | null };
  place: { root: string; stem: string };
  content: string;
  job?: Job;
}

function writeReport(deps: PublishDeps, { owner, place, content, job }: ReportFile): Published {
  return publishSet(deps, {
    owner,
    root: place.root,
    stem: place.stem,
    beside: job?.settings.output.beside ?? false,
    overwrite: job?.overwrite ?? false,
    files: (stem) => [{ path: errorReportPath(stem), content }],
  });
}
