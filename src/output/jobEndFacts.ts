// The facts a job's end is decided on (jobEnd.ts), read from the disk and the store: its input against its stamp, the
// file beside the recording in the way (besideSkip.ts), the user's corrections, and for a duplicate its original's
// kept document. Reads only: nothing here writes.
import type { TranscriptDocument } from '../core/transcriptDocument.js';
import { inputState } from '../platform/inputStamp.js';
import type { ReadyDuplicate } from '../store/duplicateStore.js';
import type { Job, JobStore } from '../store/jobs.js';
import { knownLanguage, subtitleInTheWay } from './besideSkip.js';
import type { DuplicateFacts, JobEndFacts, RunOutcome } from './jobEnd.js';
import { textLanguage } from './outputNames.js';

export interface FactSources {
  jobs: Pick<JobStore, 'outputFiles' | 'duplicates' | 'corrections'>;
  outbox: string;
}

/** Before the run: the file beside the recording its outputs would stand in for, looked up with the language known
 * before recognition (none when it is not known yet). */
export function inTheWayBeforeRun(sources: FactSources, job: Job): string | undefined {
  return subtitleInTheWay(job, sources.outbox, knownLanguage(job.settings), sources.jobs.outputFiles);
}

/** The facts of a job whose run finished with `run`. */
export function jobEndFacts(sources: FactSources, job: Job, run: RunOutcome): JobEndFacts {
  const { jobs, outbox } = sources;
  const input = inputState(job);
  return {
    job,
    input,
    // Gone from its path: renamed inside an inbox shows as a duplicate (same content) whose file is there.
    inPlaceDuplicates: input === 'gone' ? jobs.duplicates.of(job.id).filter((d) => inputState(d) === 'same') : [],
    inTheWay: subtitleInTheWay(job, outbox, textLanguage(run.document), jobs.outputFiles),
    corrected: jobs.corrections.get(job.id),
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
    inTheWay: document && subtitleInTheWay(duplicate, sources.outbox, textLanguage(document), sources.jobs.outputFiles),
  };
}
