// The facts a job's end is decided on (jobEnd.ts), read from the disk and the store: its input against its stamp, the
// file beside the recording in the way (besideSkip.ts), the user's corrections, and for a duplicate its original's
// kept document. Reads only: nothing here writes.
import type { TranscriptDocument } from '../core/transcriptDocument.js';
import { inputState } from '../platform/inputStamp.js';
import type { CorrectionStore } from '../store/corrections.js';
import type { DuplicateStore, ReadyDuplicate } from '../store/duplicateStore.js';
import type { Job } from '../store/jobRow.js';
import type { OutputFileStore } from '../store/outputFiles.js';
import { knownLanguage, subtitleInTheWay } from './besideSkip.js';
import type { DuplicateFacts, JobEndFacts, RunOutcome } from './jobEnd.js';
import { textLanguage } from './outputNames.js';

/** The stores the facts are read from: the files we wrote, a job's duplicates, the user's corrections. */
export interface FactStores {
  outputFiles: OutputFileStore;
  duplicates: DuplicateStore;
  corrections: CorrectionStore;
}

export interface FactSources {
  stores: FactStores;
  outbox: string;
}

/** Before the run: the file beside the recording its outputs would stand in for, looked up with the language known
 * before recognition (none when it is not known yet). */
export function inTheWayBeforeRun(sources: FactSources, job: Job): string | undefined {
  const { outbox, stores } = sources;
  return subtitleInTheWay({ job, outbox, language: knownLanguage(job.settings), files: stores.outputFiles });
}

/** The facts of a job whose run finished with `run`. */
export function jobEndFacts(sources: FactSources, job: Job, run: RunOutcome): JobEndFacts {
  const { stores, outbox } = sources;
  const input = inputState(job);
  return {
    job,
    input,
    // Gone from its path: renamed inside an inbox shows as a duplicate (same content) whose file is there.
    inPlaceDuplicates: input === 'gone' ? stores.duplicates.of(job.id).filter((d) => inputState(d) === 'same') : [],
    inTheWay: subtitleInTheWay({ job, outbox, language: textLanguage(run.document), files: stores.outputFiles }),
    corrected: stores.corrections.get(job.id),
    run,
  };
}

/** The facts of a duplicate ready to end; `documentOf` gives what a finished original publishes (with the user's
 * corrections), read once per batch. */
export function duplicateFacts(
  sources: FactSources,
  ready: ReadyDuplicate,
  documentOf: (originalId: number) => TranscriptDocument | undefined,
): DuplicateFacts {
  const { duplicate, original } = ready;
  const document = original?.state === 'done' ? documentOf(original.id) : undefined;
  return {
    duplicate,
    original,
    originalBeside: original?.settings.output.beside ?? false,
    originalInput: original ? inputState(original) : 'gone',
    duplicateInput: inputState(duplicate),
    document,
    inTheWay:
      document &&
      subtitleInTheWay({
        job: duplicate,
        outbox: sources.outbox,
        language: textLanguage(document),
        files: sources.stores.outputFiles,
      }),
  };
}
