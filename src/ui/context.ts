// What the web page's routes share: the config, the stores they read, the live feed, how to wake the dispatcher, and the
// page's sign-in (codes and sessions, signed media addresses, the token).
import type { Config } from '../config/config.js';
import type { SelectionStores } from '../output/export.js';
import type { CorrectionStores } from '../output/republish.js';
import type { Logger } from '../platform/log.js';
import type { JobSource } from '../queue/jobSource.js';
import type { CorrectionStore } from '../store/corrections.js';
import type { JobPages } from '../store/jobPages.js';
import type { JobTable } from '../store/jobTable.js';
import type { RefusalStore } from '../store/refusals.js';
import type { SearchIndex } from '../store/searchIndex.js';
import type { ChangeFeed } from './changeFeed.js';
import type { CountsCache } from './countsCache.js';
import type { MediaUrls } from './mediaUrl.js';
import type { UiSessions } from './sessions.js';

export interface UiContext {
  config: Config;
  jobs: JobTable;
  search: SearchIndex;
  corrections: CorrectionStore;
  refusals: RefusalStore;
  pages: JobPages;
  /** What output's selection (downloads) and corrections read and write: the stores above with the database their
   * transactions run on and the files published. */
  outputStores: SelectionStores & CorrectionStores;
  feed: ChangeFeed;
  counts: CountsCache;
  log: Logger;
  /** Retry and cancel go through it, so in team mode they act on the shared queue. */
  source: JobSource;
  /** Start what became ready (after a retry, say). */
  wake: () => void;
  sessions: UiSessions;
  mediaUrls: MediaUrls;
  /** Whether a Bearer value is the daemon's token (which only `dropscribe open` and scripts hold). */
  isToken: (bearer: string) => boolean;
}

/** A job id from a route parameter, or undefined when it is not one. */
export function jobIdParam(params: unknown): number | undefined {
  const id = Number((params as { id?: string }).id);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
