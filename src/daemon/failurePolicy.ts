// What becomes of a job whose run ended in an error: back in the queue (shutdown, an outbox that cannot take the
// outputs, a full disk, a file that may still be arriving), canceled, or failed with a report.
import { outboxBackoffMs } from '../core/backoff.js';
import type { ErrorKind } from '../core/contract.js';
import { OutboxError } from '../output/outbox.js';
import { OutputRefusedError } from '../output/outboxError.js';
import { diskFullReason, isDiskFull } from '../resources/diskFull.js';
import { StageError } from '../stages/stageError.js';
import type { Job } from '../store/jobRow.js';
import { settlingRetry } from './decodeRetry.js';

/** Why a running job was stopped from outside: the daemon is shutting down, or the user canceled it. */
export type StopReason = 'shutdown' | 'cancel';

export type FailureOutcome =
  | { action: 'shutdown' } // back in the queue for the next start
  | { action: 'cancel' }
  | { action: 'retry'; kind: 'outbox' | 'disk-full' | 'settling'; delayMs: number; message: string }
  | { action: 'fail'; kind: ErrorKind; message: string };

export interface FailureContext {
  /** Why the run was aborted, if it was. */
  stop: StopReason | undefined;
  /** The config's settle time (stability.settleSec) in ms. */
  settleMs: number;
  /** The data folder, named when its disk is full. */
  dataDir: string;
  now?: number;
}

/** Decide the end of a failed run. */
export function failureOutcome(job: Job, err: unknown, c: FailureContext): FailureOutcome {
  const { stop, settleMs, dataDir, now = Date.now() } = c;
  if (stop === 'shutdown') return { action: 'shutdown' };
  if (stop === 'cancel') return { action: 'cancel' };
  if (err instanceof OutboxError) {
    // The transcript is safe in the work folder: wait for the outbox (disk full, volume gone, read-only).
    return { action: 'retry', kind: 'outbox', delayMs: outboxBackoffMs(job.attempts), message: err.message };
  }
  if (isDiskFull(err)) {
    // Not the job's fault: what is finished stays cached; it goes on when there is space again.
    return {
      action: 'retry',
      kind: 'disk-full',
      delayMs: outboxBackoffMs(job.attempts), // the same back-off as the outbox's; the wait probe wakes it sooner
      message: diskFullReason(dataDir, err),
    };
  }
  // Perhaps a half-written file: retried quietly; reported once it has been stable for the settle time.
  const settling = settlingRetry({ job, err, settleMs, now });
  if (settling) return { action: 'retry', kind: 'settling', ...settling };
  // A link out of the outbox or the watched folder: the user's folders need fixing; retrying as a bug cannot help.
  if (err instanceof OutputRefusedError) return { action: 'fail', kind: 'config', message: err.message };
  if (err instanceof StageError) return { action: 'fail', kind: err.kind, message: err.report() };
  return { action: 'fail', kind: 'bug', message: (err as Error)?.message ?? String(err) };
}
