// Where jobs come from and where their outcome goes: one interface for the local SQLite queue (localSource.ts) and
// the team's shared queue (team/teamSource.ts), chosen once by the composition root (daemon, CLI). Either way a job
// runs as a local row leased to this daemon, so stage caches and learned peaks stay local.
import type { ErrorKind } from '../core/contract.js';
import type { TranscriptDocument } from '../core/transcriptDocument.js';
import type { Job, NewJob } from '../store/jobs.js';

/** A complete, hashed file from intake; the source chooses where its outputs go. */
export type IncomingFile = Omit<NewJob, 'outputStem'>;

/** queued: a new job; duplicate: known content, published from the original; requeued: a canceled job runs again;
 * known: the source already has this file; waiting: the source is unreachable now, try again later. */
export type EnqueueStatus = 'queued' | 'duplicate' | 'requeued' | 'known' | 'waiting';

/** What the CLI prints for retry and cancel, and whether it is a yes (exit 0). */
export type Reply = { message: string; ok: boolean };

export interface Finished {
  outputs: string[];
  degraded: string[];
  notes: string[];
  /** None for a recording skipped before it was transcribed (its subtitle is already beside it). */
  document?: TranscriptDocument;
  /** What was published when it is not `document` (the user's corrections, kept by a retry); indexed for search. */
  published?: TranscriptDocument;
}

export interface JobSource {
  /** After an unclean stop: put right what the last run left (running rows). Returns how many rows it touched. */
  recover(): number;
  /** True when the source already has this file (path, size, mtime): a rescan need not hash it again. */
  knows(path: string, size: number, mtimeMs: number): boolean;
  enqueue(file: IncomingFile): Promise<EnqueueStatus>;
  /** Up to `n` jobs to run now, each leased to this daemon. */
  claim(n: number): Promise<Job[]>;
  /** When to look for jobs again without being told (a back-off ends, the next poll); undefined: only when told. */
  nextClaimAt(): number | undefined;
  /** Keep the lease of a running job; 'stop': it was canceled, or another daemon has it now. */
  renew(job: Job): Promise<'ok' | 'stop'>;
  finish(job: Job, result: Finished): Promise<void>;
  fail(job: Job, error: { message: string; kind: ErrorKind; outputs: string[] }): Promise<void>;
  /** Run it again later (a publishing or reading problem that passes). */
  retryLater(job: Job, delayMs: number, error: { message: string; kind: ErrorKind }): Promise<void>;
  /** This daemon stops: the job goes back to the queue, for the next start or another daemon. */
  release(job: Job): Promise<void>;
  /** It was canceled (or its file changed and the new content is queued instead: `reason` says so). */
  canceled(job: Job, reason?: string): Promise<void>;
  /** The `ref` retry and cancel take for a local job row (the web page acts on rows): its id, or in team mode the
   * team job it mirrors. */
  refOf(job: Job): string;
  /** CLI: run a finished, failed or canceled job again; `ref` as `status` shows it. */
  retry(ref: string): Promise<Reply>;
  /** CLI: cancel a queued or running job. */
  cancel(ref: string): Promise<Reply>;
  close(): Promise<void>;
  /** Team mode: the hosts sharing the queue, for the web page. */
  hosts?(): Promise<unknown[]>;
}
