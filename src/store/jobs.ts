// The store the database opens into: the jobs table (jobTable.ts) and, beside it, each store of its own (duplicates,
// stage runs, refusals, waiting jobs, the search index, corrections, the files written, output stems), each made
// once here. Consumers take the narrow pieces they use (`store.runs`, `store.refusals`, the table itself), handed to
// them by the composition root (daemon.ts). The CLI commands and the page's server open it whole, as its owners.
import type { Db } from './db.js';
import { DuplicateStore } from './duplicateStore.js';
import { JobTable } from './jobTable.js';
import { OutputFileStore } from './outputFiles.js';
import { OutputStemStore } from './outputStems.js';
import { CorrectionStore } from './corrections.js';
import { RefusalStore } from './refusals.js';
import { SearchIndex } from './searchIndex.js';
import { StageRunStore } from './stageRuns.js';
import { WaitingJobs } from './waitingJobs.js';

export { toJob, type Job, type JobRow, type NewJob } from './jobRow.js';
export { JobTable, type EnqueueResult } from './jobTable.js';

export class JobStore extends JobTable {
  /** The open database: its owner closes it; transactions that span stores begin on it. */
  declare readonly db: Db;
  /** The clock of every store here and of the intake that feeds them (tests pass a fake one). */
  declare readonly now: () => number;
  readonly duplicates: DuplicateStore;
  readonly runs: StageRunStore;
  readonly refusals: RefusalStore;
  readonly waiting: WaitingJobs;
  readonly search: SearchIndex;
  readonly corrections: CorrectionStore;
  readonly outputFiles: OutputFileStore;
  readonly stems: OutputStemStore;

  constructor(db: Db, now: () => number = Date.now) {
    const duplicates = new DuplicateStore(db, now);
    const search = new SearchIndex(db);
    super({ db, duplicates, search, now });
    this.duplicates = duplicates;
    this.search = search;
    this.runs = new StageRunStore(db, now);
    this.refusals = new RefusalStore(db, now);
    this.waiting = new WaitingJobs(db, now);
    this.corrections = new CorrectionStore(db, now);
    this.outputFiles = new OutputFileStore(db, now);
    this.stems = new OutputStemStore(db);
  }
}
