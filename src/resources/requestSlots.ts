// Slots for requests in flight to one server: at most `limit` at a time, over all jobs, taken in turn. A scheduler
// whose unit is one request, not a byte, so a server's limit never takes from the local memory budget (the stage
// executor admits a request through it as it admits a stage through the memory scheduler).
import type { Logger } from '../platform/log.js';
import { MemoryScheduler } from './scheduler.js';

/** One slot per request. */
export const ONE_REQUEST = 1;

export class RequestSlots extends MemoryScheduler {
  constructor(
    /** How many requests may be in flight at once. */
    readonly limit: number,
    log: Logger,
  ) {
    super(limit * ONE_REQUEST, log);
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.reservedBytes / ONE_REQUEST;
  }

  /** Wait for a free slot, then hold it until the returned release is called. */
  take(label: string, signal?: AbortSignal): Promise<() => void> {
    return this.admit(label, ONE_REQUEST, false, signal);
  }
}
