// The outbox back-off: how long a job or a duplicate waits before publishing again, stated once.

/** The longest wait between two publishing attempts. */
export const MAX_OUTBOX_BACKOFF_MS = 10 * 60_000;

/** The wait after the `failure`-th failed attempt (1 for the first): 5 s, doubling, at most ten minutes. */
export function outboxBackoffMs(failure: number): number {
  return Math.min(MAX_OUTBOX_BACKOFF_MS, 5000 * 2 ** Math.min(Math.max(0, failure - 1), 10));
}
