// Slots for requests in flight to one server: at most `limit` at a time, over all jobs, taken in turn. Counted in
// requests, apart from the local memory budget (the stage executor takes a slot for a server request where it
// admits a local stage through the memory scheduler).
import type { Logger } from '../platform/log.js';

interface Waiter {
  label: string;
  grant: (release: () => void) => void;
}

export class RequestSlots {
  private taken = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    /** How many requests may be in flight at once (at least one is). */
    readonly limit: number,
    private readonly log: Logger,
  ) {}

  /** Requests in flight now. */
  get inFlight(): number {
    return this.taken;
  }

  /** Wait for a free slot, then hold it until the returned release is called; rejects when `signal` aborts first. */
  take(label: string, signal?: AbortSignal): Promise<() => void> {
    return new Promise((grant, fail) => {
      const canceled = () => new Error(`canceled while waiting for a request slot: ${label}`);
      if (signal?.aborted) return fail(canceled());
      const waiter: Waiter = { label, grant };
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.waiting.indexOf(waiter);
          if (i < 0) return;
          this.waiting.splice(i, 1);
          fail(canceled());
        },
        { once: true },
      );
      this.waiting.push(waiter);
      this.grantFree();
    });
  }

  /** Hand free slots to the waiting requests, first come first served. */
  private grantFree(): void {
    while (this.taken < Math.max(1, this.limit) && this.waiting.length > 0) {
      const waiter = this.waiting.shift()!;
      this.taken++;
      let released = false;
      waiter.grant(() => {
        if (released) return;
        released = true;
        this.taken--;
        this.grantFree();
      });
    }
    if (this.waiting.length > 0) this.log.debug({ waiting: this.waiting.length }, 'requests wait for a slot');
  }
}
