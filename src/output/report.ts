// Publishing a job's end: the rendered outputs on success, or <name>.error.txt on failure or refusal at intake.
import { rmSync } from 'node:fs';
import type { Format, SubtitleSettings } from '../config.js';
import type { RefusedInput } from '../intake/intake.js';
import type { Job } from '../store/jobs.js';
import type { RefusalStore } from '../store/refusals.js';
import type { Logger } from '../platform/log.js';
import { publish } from './outbox.js';
import { RENDERERS, type TranscriptDocument } from './render/index.js';

/** Render every requested format and publish them together; a stale error report is removed. */
export function publishOutputs(
  job: Job,
  outbox: string,
  doc: TranscriptDocument,
  formats: Format[],
  subtitles?: SubtitleSettings,
): string[] {
  const files = formats.map((f) => ({ path: `${job.outputStem}.${f}`, content: RENDERERS[f](doc, subtitles) }));
  const written = publish(outbox, files);
  rmSync(errorReportPath(job.outputStem), { force: true });
  return written;
}

/** Where the failure report of outputs named `stem` goes. */
export function errorReportPath(stem: string): string {
  return `${stem}.error.txt`;
}

/** Write the plain-words failure report beside where the outputs would have gone. */
export function publishErrorReport(job: Job, outbox: string, report: string): string {
  return writeReport(outbox, job.outputStem, job.relPath, report, `To try again: dropscribe retry ${job.id}`);
}

/** Write the report for an input refused at intake and record where it went. */
export function reportRefusal(refusals: RefusalStore, outbox: string, r: RefusedInput, log: Logger): void {
  try {
    const how = 'Nothing was read from it. To transcribe it, drop the recording itself (a regular file) into an inbox.';
    const report = writeReport(outbox, r.outputStem, r.relPath, `The file was refused: ${r.refusal.reason}.`, how);
    refusals.setReport(r.refusal.id, report);
  } catch (e) {
    log.error({ err: (e as Error).message }, 'could not write the refusal report');
  }
}

function writeReport(outbox: string, stem: string, relPath: string, report: string, next: string): string {
  const text = `dropscribe could not transcribe ${relPath}\n\n${report}\n\n${next}\n`;
  return publish(outbox, [{ path: errorReportPath(stem), content: text }])[0]!;
}
