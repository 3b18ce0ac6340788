// What becomes of a job whose run ended in an error: back in the queue (shutdown, an outbox that cannot take the
// outputs, a file that may still be arriving), canceled, or failed with a report.
import { outboxBackoffMs } from '../core/backoff.js';
import type { ErrorKind } from '../contract.js';
import { settlingRetry } from '../intake/arrival.js';
import { OutboxError } from '../output/outbox.js';
import { StageError } from '../stages/stageError.js';
import type { Job } from '../store/jobs.js';

/** Why a running job was stopped from outside: the daemon is shutting down, or the user canceled it. */
export type StopReason = 'shutdown' | 'cancel';

export type FailureOutcome =
  | { action: 'shutdown' } // back in the queue for the next start
  | { action: 'cancel' }
  | { action: 'retry'; kind: 'outbox' | 'settling'; delayMs: number; message: string }
  | { action: 'fail'; kind: ErrorKind; message: string };

/** Decide the end of a failed run: `stop` is why it was aborted (if it was), `settleMs` the config's settle time. */
export function failureOutcome(
  job: Job,
  err: unknown,
  stop: StopReason | undefined,
  settleMs: number,
  now = Date.now(),
): FailureOutcome {
  if (stop === 'shutdown') return { action: 'shutdown' };
  if (stop === 'cancel') return { action: 'cancel' };
  if (err instanceof OutboxError) {
    // The transcript is safe in the work folder: wait for the outbox (disk full, volume gone, read-only).
    const delayMs = outboxBackoffMs(job.attempts); // attempts counts this one: it was claimed
    return { action: 'retry', kind: 'outbox', delayMs, message: err.message };
  }
  // Perhaps a half-written file: retried quietly; reported once it has been stable for the settle time.
  const settling = settlingRetry(job, err, settleMs, now);
  if (settling) return { action: 'retry', kind: 'settling', ...settling };
  if (err instanceof StageError) return { action: 'fail', kind: err.kind, message: err.report() };
  return { action: 'fail', kind: 'bug', message: (err as Error)?.message ?? String(err) };
}
