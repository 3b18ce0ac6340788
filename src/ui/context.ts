// What the web page's routes share: the config, the job store, the live feed and how to wake the dispatcher.
import type { Config } from '../config.js';
import type { Logger } from '../platform/log.js';
import type { JobSource } from '../queue/jobSource.js';
import type { JobStore } from '../store/jobs.js';
import type { JobPages } from '../store/jobPages.js';
import type { ChangeFeed } from './changeFeed.js';
import type { CountsCache } from './countsCache.js';

export interface UiContext {
  config: Config;
  jobs: JobStore;
  pages: JobPages;
  feed: ChangeFeed;
  counts: CountsCache;
  log: Logger;
  /** Retry and cancel go through it, so in team mode they act on the shared queue. */
  source: JobSource;
  /** Start what became ready (after a retry, say). */
  wake: () => void;
}

/** A job id from a route parameter, or undefined when it is not one. */
export function jobIdParam(params: unknown): number | undefined {
  const id = Number((params as { id?: string }).id);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
