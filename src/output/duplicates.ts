// Dedupe saves computation, never outputs: a recording dropped again under another name with the same transcript
// settings (jobRow.ts TRANSCRIPT_SETTINGS) gets the original's results (re-rendered from the document the original
// kept, with the user's corrections of it) or its error report, under its own name. Other settings make an original of its own (jobs.ts enqueue).
import { outboxBackoffMs } from '../core/backoff.js';
import type { SubtitleSettings } from '../config.js';
import type { Job, JobStore } from '../store/jobs.js';
import type { Logger } from '../platform/log.js';
import { inputState } from '../intake/arrival.js';
import { OutboxError } from './outbox.js';
import { publishErrorReport, publishOutputs } from './report.js';

export { settingsKey, TRANSCRIPT_SETTINGS } from '../store/jobRow.js';

/** Publish every waiting duplicate whose original has finished. Returns how many were published. */
export function publishReadyDuplicates(
  jobs: JobStore,
  outbox: string,
  log: Logger,
  subtitles?: SubtitleSettings,
): number {
  let published = 0;
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
        jobs.fail(d.id, message, o.errorKind ?? 'bug', [publishErrorReport(d, outbox, message)]);
        dlog.warn({ file: d.relPath }, 'duplicate of a failed job: error report published');
      } else {
        const doc = jobs.corrections.current(o.id); // the user's corrections of the original, else its document
        if (!doc) {
          // Finished before documents were kept: transcribe the original again; this duplicate follows it.
          jobs.retry(o.id);
          dlog.info({ original: o.id }, 'no stored document for the original; transcribing it again');
          continue;
        }
        const outputs = publishOutputs(d, outbox, { ...doc, source: d.relPath }, d.settings.formats, subtitles);
        jobs.duplicates.published(d.id, outputs, o.degraded, o.notes);
        dlog.info({ file: d.relPath, outputs: outputs.length }, 'duplicate published from the original job');
        published++;
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
  return published;
}

/** For status lines: "duplicate of #12" (and whether it still waits for it). */
export function duplicateLabel(job: Job): string | undefined {
  if (job.duplicateOf === null) return undefined;
  return job.state === 'queued'
    ? `duplicate of #${job.duplicateOf}, waiting for it`
    : `duplicate of #${job.duplicateOf}`;
}
