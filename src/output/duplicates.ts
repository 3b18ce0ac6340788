// Dedupe saves computation, never outputs: a recording dropped again under another name with the same transcript
// settings (jobRow.ts TRANSCRIPT_SETTINGS) gets the original's results (re-rendered from the document the original
// kept, with the user's corrections of it) or its error report, under its own name. Other settings make an original of its own (jobs.ts enqueue).
import { outboxBackoffMs } from '../core/backoff.js';
import type { SubtitleSettings } from '../config/config.js';
import type { Job, JobStore } from '../store/jobs.js';
import type { Logger } from '../platform/log.js';
import { inputState } from '../platform/inputStamp.js';
import type { TranscriptDocument } from '../core/transcriptDocument.js';
import { skipNote, subtitleInTheWay } from './besideSkip.js';
import { OutboxError, syncFolders } from './outbox.js';
import { textLanguage } from './outputNames.js';
import { publishErrorReport, publishOutputs } from './report.js';

export { settingsKey, TRANSCRIPT_SETTINGS } from '../store/jobRow.js';

/** Publish every waiting duplicate whose original has finished (a batch of them: duplicates.ready). Returns how many
 * were published. Each output is written to a temp file and fsynced before its rename, so no file is ever half
 * there; the renamed-into folders are fsynced once for the batch, and only then are its duplicates recorded as done
 * (in one transaction): after a crash, a duplicate is either recorded done with its outputs durable, or still
 * queued and published again (its renames over the same content). */
export function publishReadyDuplicates(
  jobs: JobStore,
  outbox: string,
  log: Logger,
  subtitles?: SubtitleSettings,
): number {
  const unsynced = new Set<string>();
  const documents = new Map<number, TranscriptDocument | undefined>(); // each original's, parsed once per batch
  // Each with what it publishes and its notes: the original's, or (skipped beside it) only why it was skipped.
  const publishedNow: { d: Job; o: Job; outputs: string[]; dlog: Logger; skipped: boolean; notes: string[] }[] = [];
  for (const { duplicate: d, original: o } of jobs.duplicates.ready()) {
    const dlog = log.child({ jobId: d.id, duplicateOf: d.duplicateOf });
    try {
      if (!o) {
        jobs.duplicates.promote(d.id);
        dlog.info({ file: d.relPath }, 'the original job of this duplicate is gone; it will be transcribed itself');
      } else if (o.settingsKey !== d.settingsKey) {
        // Only rows from before settings keys: the original was transcribed with other settings.
        const promoted = jobs.duplicates.promote(d.id);
        dlog.info(
          { file: d.relPath, original: o.id, now: promoted?.duplicateOf ?? undefined },
          'the original job was transcribed with other settings; this one gets its own transcript',
        );
      } else if (
        (o.state === 'canceled' || (o.state === 'failed' && o.errorKind === 'bad-input')) &&
        inputState(o) !== 'same' &&
        inputState(d) === 'same'
      ) {
        // The original's file changed or went away; this one still holds the recording: transcribe it.
        jobs.duplicates.handOver(d.id, o.id);
        dlog.info(
          { file: d.relPath, original: o.id },
          'the original file changed or went away; transcribing this copy instead',
        );
        break; // the other duplicates now wait for this one; the next pass sees them afresh
      } else if (o.state === 'canceled') {
        jobs.markCanceled(d.id);
        dlog.info({ file: d.relPath }, 'the original job was canceled; so is its duplicate');
      } else if (o.state === 'failed') {
        const message = `This is the same recording as ${o.relPath} (job #${o.id}), which could not be transcribed:\n\n${o.error ?? 'unknown error'}`;
        jobs.fail(d.id, message, o.errorKind ?? 'bug', publishErrorReport(jobs, d, outbox, message));
        dlog.warn({ file: d.relPath }, 'duplicate of a failed job: error report published');
      } else {
        if (!documents.has(o.id)) documents.set(o.id, jobs.corrections.current(o.id)); // with the user's corrections
        const doc = documents.get(o.id);
        if (!doc && o.settings.output.beside && !o.outputs.length) {
          // The original was skipped (a subtitle beside it, output.beside) and never transcribed: this copy is
          // transcribed on its own, with its own check. Retrying the original would write over that subtitle.
          jobs.duplicates.handOver(d.id, o.id);
          dlog.info({ file: d.relPath, original: o.id }, 'the original was skipped; transcribing this copy itself');
          break; // the other duplicates now wait for this one; the next pass sees them afresh
        }
        if (!doc) {
          // Finished before documents were kept: transcribe the original again; this duplicate follows it.
          jobs.retry(o.id);
          dlog.info({ original: o.id }, 'no stored document for the original; transcribing it again');
          continue;
        }
        const inTheWay = subtitleInTheWay(d, outbox, textLanguage(doc), jobs.outputFiles);
        if (inTheWay) {
          // The copy watched in place has its own subtitle (or a file of the user's) beside it: left alone, as the
          // original would be.
          publishedNow.push({ d, o, dlog, outputs: [], skipped: true, notes: [skipNote(d, inTheWay)] });
          continue;
        }
        const named = { ...doc, source: d.relPath }; // the document under this duplicate's own name
        const { outputs, skipped, note } = publishOutputs({ jobs, job: d, outbox, doc: named, subtitles, unsynced });
        const notes = skipped ? [note!] : note ? [...o.notes, note] : o.notes;
        publishedNow.push({ d, o, dlog, outputs, skipped: !!skipped, notes });
      }
    } catch (err) {
      if (!(err instanceof OutboxError)) {
        jobs.fail(d.id, `could not publish the results of job #${o?.id}: ${(err as Error).message}`, 'bug');
        dlog.error({ err: (err as Error).message }, 'duplicate failed');
        continue;
      }
      const delay = outboxBackoffMs(d.attempts + 1); // a duplicate's attempts count its failed publishes
      jobs.duplicates.defer(d.id, delay, { message: err.message, kind: 'outbox' });
      dlog.warn({ err: err.message, retryInMs: delay }, 'could not publish the duplicate; will retry');
    }
  }
  syncFolders(unsynced);
  jobs.db.transaction(() => {
    for (const { d, o, outputs, skipped, notes } of publishedNow)
      jobs.duplicates.published(d.id, outputs, skipped ? [] : o.degraded, notes);
  })();
  for (const { d, outputs, dlog } of publishedNow)
    dlog.info({ file: d.relPath, outputs: outputs.length }, 'duplicate published from the original job');
  return publishedNow.length;
}
