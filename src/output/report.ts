// Publishing a job's end: the rendered outputs on success, or <name>.error.txt on failure.
import { rmSync } from 'node:fs';
import type { Format, SubtitleSettings } from '../config.js';
import type { Job, JobStore } from '../store/jobs.js';
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
  rmSync(errorReportPath(job), { force: true });
  return written;
}

export function errorReportPath(job: Job): string {
  return `${job.outputStem}.error.txt`;
}

/** Write the plain-words failure report beside where the outputs would have gone. */
export function publishErrorReport(job: Job, outbox: string, report: string): string {
  const text =
    `dropscribe could not transcribe ${job.relPath}\n\n${report}\n\n` + `To try again: dropscribe retry ${job.id}\n`;
  return publish(outbox, [{ path: errorReportPath(job), content: text }])[0]!;
}

/** Write the report for an input refused at intake and attach it to its job. */
export function reportRefusal(jobs: JobStore, outbox: string, id: number, log: Logger): void {
  const job = jobs.get(id);
  if (!job) return;
  try {
    const report = publishErrorReport(job, outbox, `The file was refused: ${job.error}.`);
    jobs.fail(id, job.error ?? 'refused', 'refused', [report]);
  } catch (e) {
    log.error({ err: (e as Error).message }, 'could not write the refusal report');
  }
}
