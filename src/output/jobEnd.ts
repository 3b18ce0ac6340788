// A job's end as one pure decision, for a job whose run finished and for a duplicate whose original did: what is
// published (which document, with which notes, under the job's own name), or why nothing is: a file of the user's
// beside the recording (skip), its input changed (cancel), renamed inside an inbox, or, for a duplicate, the original's
// failure, cancel or missing document. The facts come from jobEndFacts.ts (the disk and the store); the daemon
// (daemon/endFinishedJob.ts) and duplicates.ts apply the decision, publishing through the one publisher.
import type { ErrorKind } from '../core/contract.js';
import { CHANGED_REASON, GONE_NOTE } from '../core/inputChanges.js';
import type { TranscriptDocument } from '../core/transcriptDocument.js';
import type { InputState } from '../platform/inputStamp.js';
import type { Job } from '../store/jobRow.js';
import { skipNote } from './publishNotes.js';

/** What a run produced (the pipeline's result). */
export interface RunOutcome {
  document: TranscriptDocument;
  degraded: string[];
  notes: string[];
}

/** Done without outputs: `inTheWay` is beside the recording, and not ours (besideSkip.ts). */
export type Skip = { action: 'skip'; inTheWay: string; notes: string[] };
/** Publish `document` under the job's name, with these notes and degraded stages. */
export type Publish = { action: 'publish'; document: TranscriptDocument; notes: string[]; degraded: string[] };

export type JobEnd =
  | Skip
  | Publish
  /** Its input changed while it ran: nothing is published, its new content has a job of its own. */
  | { action: 'cancel'; reason: string }
  /** Its input was renamed inside an inbox: done without outputs; `to`, a duplicate, publishes them under the new
   * name. */
  | { action: 'renamed'; to: Pick<Job, 'id' | 'relPath'>; notes: string[] };

export interface JobEndFacts {
  job: Pick<Job, 'id'>;
  /** Its input now against the stamp it was made from. */
  input: InputState;
  /** When its input is gone: its duplicates whose files hold the recording (same stamp) now. */
  inPlaceDuplicates: Pick<Job, 'id' | 'relPath' | 'state'>[];
  /** The file beside the recording its outputs would stand in for, looked up with the transcript's language. */
  inTheWay: string | undefined;
  /** The user's corrections of an earlier run, kept over the new transcript. */
  corrected: { document: TranscriptDocument; editedAt: number } | undefined;
  run: RunOutcome;
}

/** Before the run: a recording whose subtitle is already beside it (looked up with the language known before
 * recognition) is skipped without being transcribed; undefined: run it. */
export function endBeforeRun(job: Pick<Job, 'id'>, inTheWay: string | undefined): Skip | undefined {
  return inTheWay ? skip(job, inTheWay) : undefined;
}

/** The end of a job whose run finished. */
export function decideJobEnd(f: JobEndFacts): JobEnd {
  const { job, run } = f;
  if (f.input === 'changed') return { action: 'cancel', reason: CHANGED_REASON };
  if (f.input === 'gone') {
    const to = f.inPlaceDuplicates.find((d) => d.state === 'queued');
    if (to) return { action: 'renamed', to, notes: [...run.notes, renamedNote(to)] };
  }
  const notes = f.input === 'gone' ? [...run.notes, GONE_NOTE] : run.notes;
  if (f.inTheWay) return skip(job, f.inTheWay);
  // A retry never publishes over the user's corrections: it keeps them, says so, and keeps the new original.
  if (f.corrected)
    return publish(f.corrected.document, [...notes, keptCorrectionsNote(f.corrected.editedAt)], run.degraded);
  return publish(run.document, notes, run.degraded);
}

export type DuplicateEnd =
  | Skip
  | Publish
  /** Its original is gone, or was transcribed with other settings: it becomes an original (or joins another). */
  | { action: 'promote'; why: string }
  /** Transcribed itself instead of its original; the original's other duplicates wait for it. */
  | { action: 'hand-over'; why: string }
  /** Its original was canceled. */
  | { action: 'cancel' }
  /** Its original failed: it fails with this message, and its error report is published under its name. */
  | { action: 'fail'; message: string; kind: ErrorKind }
  /** Its original kept no document (finished before documents were kept): the original runs again. */
  | { action: 'retry-original' };

export interface DuplicateFacts {
  duplicate: Pick<Job, 'id' | 'relPath' | 'settingsKey'>;
  /** Undefined when its row is gone (retention). */
  original:
    | Pick<Job, 'id' | 'relPath' | 'state' | 'settingsKey' | 'errorKind' | 'error' | 'notes' | 'degraded' | 'outputs'>
    | undefined;
  /** Whether the original was watched in place (output.beside). */
  originalBeside: boolean;
  /** Each input now against its stamp. */
  originalInput: InputState;
  duplicateInput: InputState;
  /** What the original publishes: its kept document, with the user's corrections; undefined when none was kept. */
  document: TranscriptDocument | undefined;
  /** The file beside the duplicate's recording its outputs would stand in for, looked up with the document's
   * language. */
  inTheWay: string | undefined;
}

/** The end of a duplicate whose original has finished (or whose original's row is gone). */
export function decideDuplicateEnd(f: DuplicateFacts): DuplicateEnd {
  const { duplicate: d, original: o } = f;
  if (!o)
    return { action: 'promote', why: 'the original job of this duplicate is gone; it will be transcribed itself' };
  if (o.settingsKey !== d.settingsKey)
    // Only rows from before settings keys: the original was transcribed with other settings.
    return {
      action: 'promote',
      why: 'the original job was transcribed with other settings; this one gets its own transcript',
    };
  const originalUnread = o.state === 'canceled' || (o.state === 'failed' && o.errorKind === 'bad-input');
  if (originalUnread && f.originalInput !== 'same' && f.duplicateInput === 'same')
    // The original's file changed or went away; this one still holds the recording: transcribe it.
    return { action: 'hand-over', why: 'the original file changed or went away; transcribing this copy instead' };
  if (o.state === 'canceled') return { action: 'cancel' };
  if (o.state === 'failed') {
    const message = `This is the same recording as ${o.relPath} (job #${o.id}), which could not be transcribed:\n\n${o.error ?? 'unknown error'}`;
    return { action: 'fail', message, kind: o.errorKind ?? 'bug' };
  }
  if (!f.document) {
    // Skipped (a subtitle beside it) and never transcribed: this copy is transcribed on its own, with its own check.
    // Retrying the original would write over that subtitle.
    if (f.originalBeside && !o.outputs.length)
      return { action: 'hand-over', why: 'the original was skipped; transcribing this copy itself' };
    // Finished before documents were kept: transcribe the original again; this duplicate follows it.
    return { action: 'retry-original' };
  }
  // The copy watched in place has its own subtitle (or a file of the user's) beside it: left alone, as the original
  // would be.
  if (f.inTheWay) return skip(d, f.inTheWay);
  return publish({ ...f.document, source: d.relPath }, o.notes, o.degraded); // under the duplicate's own name
}

function skip(job: Pick<Job, 'id'>, inTheWay: string): Skip {
  return { action: 'skip', inTheWay, notes: [skipNote(job.id, inTheWay)] };
}

function publish(document: TranscriptDocument, notes: string[], degraded: string[]): Publish {
  return { action: 'publish', document, notes, degraded };
}

const renamedNote = (to: Pick<Job, 'id' | 'relPath'>) =>
  `renamed to ${to.relPath} while it was transcribed: its outputs are published under the new name (job #${to.id})`;

const keptCorrectionsNote = (editedAt: number) =>
  `kept the corrections made in the web page on ${new Date(editedAt).toISOString()}; ` +
  'the new transcript is kept as the original';
