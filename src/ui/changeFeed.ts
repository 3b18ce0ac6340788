// The live feed behind /api/events: while a page listens, the job table and the daemon's status file are looked
// at twice a second (one indexed query), and what changed is handed to the listeners. Nobody listening: no timer.
import type { Job } from '../store/jobs.js';
import type { JobPages } from '../store/jobPages.js';

export const FEED_POLL_MS = 500;

export type FeedEvent = { type: 'jobs'; jobs: Job[] } | { type: 'status'; status: unknown };
type Listener = (e: FeedEvent) => void;

export interface FeedClock {
  setInterval(fn: () => void, ms: number): { unref?(): void };
  clearInterval(handle: unknown): void;
}

export class ChangeFeed {
  private readonly listeners = new Set<Listener>();
  private timer: unknown;
  private lastChange = 0;
  private lastStatus = '';

  constructor(
    private readonly pages: JobPages,
    private readonly status: () => string,
    private readonly clock: FeedClock = globalThis,
  ) {}

  /** Listen; returns the function that stops listening. */
  subscribe(fn: Listener): () => void {
    if (this.listeners.size === 0) {
      this.lastChange = this.pages.lastChange();
      this.lastStatus = this.status();
      const t = this.clock.setInterval(() => this.look(), FEED_POLL_MS);
      t.unref?.();
      this.timer = t;
    }
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) this.clock.clearInterval(this.timer);
    };
  }

  get listening(): number {
    return this.listeners.size;
  }

  /** One look: the jobs changed since the last look (changes within the same millisecond are sent again: the page
   * merges by id), and the status when it differs. */
  look(): void {
    const latest = this.pages.lastChange();
    if (latest > this.lastChange) {
      const jobs = this.pages.changedSince(this.lastChange - 1);
      this.lastChange = latest;
      this.emit({ type: 'jobs', jobs });
    }
    const status = this.status();
    if (status !== this.lastStatus) {
      this.lastStatus = status;
      this.emit({ type: 'status', status: JSON.parse(status) as unknown });
    }
  }

  private emit(e: FeedEvent): void {
    for (const fn of this.listeners) fn(e);
  }
}
