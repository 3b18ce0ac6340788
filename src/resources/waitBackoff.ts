// How long a job waiting for something outside it (the outbox, disk space) waits before it tries again: 5 s,
// doubling up to 10 minutes. A probe also wakes it as soon as what it waits for is back (daemon/waits.ts).

export const FIRST_WAIT_MS = 5_000;
export const MAX_WAIT_MS = 10 * 60_000;

/** The wait before try number `tries + 1` (`tries` made so far, at least 1). */
export function waitBackoffMs(tries: number): number {
  return Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(Math.max(0, tries - 1), 10));
}
