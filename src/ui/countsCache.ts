// Job counts by state for the page, counted again only when a job changed (or, for rows housekeeping removed, after
// a while): counting 100,000 rows on every request would cost more than the page itself.
import type { JobPages } from '../store/jobPages.js';
import type { JobState } from '../core/jobStates.js';
import type { JobTable } from '../store/jobTable.js';

export const COUNTS_MAX_AGE_MS = 10_000;

export class CountsCache {
  private cached: { key: number; at: number; counts: Record<JobState, number> } | undefined;

  constructor(
    private readonly jobs: JobTable,
    private readonly pages: JobPages,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Record<JobState, number> {
    const key = this.pages.lastChange();
    const t = this.now();
    if (!this.cached || this.cached.key !== key || t - this.cached.at > COUNTS_MAX_AGE_MS)
      this.cached = { key, at: t, counts: this.jobs.countByState() };
    return this.cached.counts;
  }
}
