// Publishing a job's end: the rendered outputs on success, or <name>.error.txt on failure or refusal at intake.
import { rmSync } from 'node:fs';
import type { Format, SubtitleSettings } from '../config.js';
import type { RefusedInput } from '../intake/intake.js';
import type { Job } from '../store/jobs.js';
import type { RefusalStore } from '../store/refusals.js';
import type { Logger } from '../platform/log.js';
import { publish } from './outbox.js';
import { nameTag, outputPath, outputPlace } from './outputNames.js';
import { RENDERERS, type TranscriptDocument } from './render/index.js';

/** Render every requested format of the transcript (and of its translation, as name.en.*) and publish them
 * together, in the outbox or beside the recording; a stale error report is removed. `unsynced`: see publish. */
export function publishOutputs(
  job: Job,
  outbox: string,
  doc: TranscriptDocument,
  formats: Format[],
  subtitles?: SubtitleSettings,
  unsynced?: Set<string>,
): string[] {
  const place = outputPlace(job, outbox);
  const { translation, ...source } = doc;
  const docs = [
    { doc: source, tag: nameTag(source, job.settings.output, false) },
    ...(translation ? [{ doc: translation, tag: nameTag(translation, job.settings.output, true) }] : []),
  ];
  const files = docs.flatMap(({ doc: d, tag }) =>
    formats.map((f) => ({ path: outputPath(place, f, tag), content: RENDERERS[f](d, subtitles) })),
  );
  const written = publish(place.root, files, unsynced);
  rmSync(errorReportPath(place.stem), { force: true });
  return written;
}

/** Where the failure report of outputs named `stem` goes. */
export function errorReportPath(stem: string): string {
  return `${stem}.error.txt`;
}

/** Write the plain-words failure report where the outputs would have gone (the outbox, or beside the recording). */
export function publishErrorReport(job: Job, outbox: string, report: string): string {
  const place = outputPlace(job, outbox);
  return writeReport(place.root, place.stem, job.relPath, report, `To try again: dropscribe retry ${job.id}`);
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
