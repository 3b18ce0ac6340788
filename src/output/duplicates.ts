// Dedupe saves computation, never outputs: a recording dropped again under another name with the same transcript
// settings (jobRow.ts TRANSCRIPT_SETTINGS) gets the original's results (re-rendered from the document the original
// kept, with the user's corrections of it) or its error report, under its own name. Other settings make an original
// of its own (jobTable.ts enqueue). Each duplicate's end is decided by jobEnd.ts (decideDuplicateEnd) on facts read by
// jobEndFacts.ts; this file applies it: the store's rows, and the outputs through the one publisher.
import { outboxBackoffMs } from '../core/backoff.js';
import type { SubtitleSettings } from '../config/config.js';
import type { TranscriptDocument } from '../core/transcriptDocument.js';
import type { Logger } from '../platform/log.js';
import type { Db } from '../store/db.js';
import type { Job } from '../store/jobRow.js';
import type { JobTable } from '../store/jobTable.js';
import { publishErrorReport } from './errorReports.js';
import { decideDuplicateEnd, type DuplicateEnd } from './jobEnd.js';
import { duplicateFacts, type FactStores } from './jobEndFacts.js';
import { OutboxError, syncFolders } from './outbox.js';
import type { PublishStores } from './publisher.js';
import { publishOutputs } from './transcriptOutputs.js';

export { settingsKey, TRANSCRIPT_SETTINGS } from '../store/jobRow.js';

/** A duplicate done in this batch: recorded once its outputs' folders are synced. */
interface Done {
  duplicate: Job;
  outputs: string[];
  degraded: string[];
  notes: string[];
  log: Logger;
}

/** What a batch reads and writes: the duplicates and their originals' documents, the jobs table's ends (fail, cancel,
 * retry the original), the files published, and the database its records are written in together. */
export type DuplicateStores = Pick<JobTable, 'fail' | 'markCanceled' | 'retry'> &
  FactStores &
  PublishStores & { db: Db };

export interface DuplicateBatch {
  stores: DuplicateStores;
  outbox: string;
  log: Logger;
  subtitles?: SubtitleSettings;
}

interface Batch extends DuplicateBatch {
  /** Folders renamed into, fsynced once for the batch (outbox.ts publish). */
  unsynced: Set<string>;
}

/** Publish every waiting duplicate whose original has finished (a batch of them: duplicates.ready). Returns how many
 * were published. Each output is written to a temp file and fsynced before its rename, so no file is ever half
 * there; the renamed-into folders are fsynced once for the batch, and only then are its duplicates recorded as done
 * (in one transaction): after a crash, a duplicate is either recorded done with its outputs durable, or still
 * queued and published again (its renames over the same content). */
export function publishReadyDuplicates(request: DuplicateBatch): number {
  const { stores, outbox, log } = request;
  const batch: Batch = { ...request, unsynced: new Set() };
  const documents = new Map<number, TranscriptDocument | undefined>(); // each original's, read once per batch
  const documentOf = (id: number) => {
    if (!documents.has(id)) documents.set(id, stores.corrections.current(id));
    return documents.get(id);
  };
  const done: Done[] = [];
  for (const ready of stores.duplicates.ready()) {
    const { duplicate, original } = ready;
    const dlog = log.child({ jobId: duplicate.id, duplicateOf: duplicate.duplicateOf });
    try {
      const end = decideDuplicateEnd(duplicateFacts({ stores, outbox }, ready, documentOf));
      const finished = applyDuplicateEnd(batch, { end, ready, dlog });
      if (finished) done.push({ duplicate, log: dlog, ...finished });
      // Handed over: the other duplicates now wait for this one; the next pass sees them afresh.
      if (end.action === 'hand-over') break;
    } catch (err) {
      if (!(err instanceof OutboxError)) {
        stores.fail(
          duplicate.id,
          `could not publish the results of job #${original?.id}: ${(err as Error).message}`,
          'bug',
        );
        dlog.error({ err: (err as Error).message }, 'duplicate failed');
        continue;
      }
      const delay = outboxBackoffMs(duplicate.attempts + 1); // a duplicate's attempts count its failed publishes
      stores.duplicates.defer(duplicate.id, delay, { message: err.message, kind: 'outbox' });
      dlog.warn({ err: err.message, retryInMs: delay }, 'could not publish the duplicate; will retry');
    }
  }
  syncFolders(batch.unsynced);
  stores.db.transaction(() => {
    for (const d of done) stores.duplicates.published(d.duplicate.id, d.outputs, d.degraded, d.notes);
  })();
  for (const d of done)
    d.log.info({ file: d.duplicate.relPath, outputs: d.outputs.length }, 'duplicate published from the original job');
  return done.length;
}

/** Apply a duplicate's end; returns what it is recorded done with (after the batch's folders are synced), if it is
 * done. */
function applyDuplicateEnd(
  batch: Batch,
  { end, ready, dlog }: { end: DuplicateEnd; ready: { duplicate: Job; original: Job | undefined }; dlog: Logger },
): Omit<Done, 'duplicate' | 'log'> | undefined {
  const { stores } = batch;
  const { duplicate: d, original: o } = ready;
  switch (end.action) {
    case 'promote': {
      const promoted = stores.duplicates.promote(d.id);
      dlog.info({ file: d.relPath, original: o?.id, now: promoted?.duplicateOf ?? undefined }, end.why);
      return undefined;
    }
    case 'hand-over':
      stores.duplicates.handOver(d.id, o!.id);
      dlog.info({ file: d.relPath, original: o!.id }, end.why);
      return undefined;
    case 'cancel':
      stores.markCanceled(d.id);
      dlog.info({ file: d.relPath }, 'the original job was canceled; so is its duplicate');
      return undefined;
    case 'fail': {
      const report = publishErrorReport({ stores, job: d, outbox: batch.outbox, message: end.message });
      stores.fail(d.id, end.message, end.kind, report);
      dlog.warn({ file: d.relPath }, 'duplicate of a failed job: error report published');
      return undefined;
    }
    case 'retry-original':
      stores.retry(o!.id);
      dlog.info({ original: o!.id }, 'no stored document for the original; transcribing it again');
      return undefined;
    case 'skip':
      return { outputs: [], degraded: [], notes: end.notes };
    case 'publish': {
      const { outbox, subtitles, unsynced } = batch;
      const published = publishOutputs({ stores, job: d, outbox, doc: end.document, subtitles, unsynced });
      if (published.skipped) return { outputs: [], degraded: [], notes: [published.note!] };
      const notes = published.note ? [...end.notes, published.note] : end.notes;
      return { outputs: published.outputs, degraded: end.degraded, notes };
    }
  }
}
