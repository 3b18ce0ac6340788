// The local job source: jobs live in this machine's SQLite queue (store/jobTable.ts) and are claimed by lease.
import { basename, dirname, join } from 'node:path';
import type { ErrorKind } from '../core/contract.js';
import { CHANGED_REASON } from '../core/inputChanges.js';
import { chooseOutputStem } from '../core/outputNaming.js';
import { outputsNamed, sameNamedFolders } from '../platform/foldedNames.js';
import type { Logger } from '../platform/log.js';
import type { Job } from '../store/jobRow.js';
import type { JobTable } from '../store/jobTable.js';
import type { OutputFileStore } from '../store/outputFiles.js';
import type { OutputStemStore } from '../store/outputStems.js';
import type { EnqueueStatus, Finished, IncomingFile, JobSource, Reply } from './jobSource.js';

/** The local queue's stores: the jobs table, and the output names already given (the stems jobs hold, the files
 * written under them) that a new job's stem must avoid. */
export type LocalQueueStores = JobTable & { stems: OutputStemStore; outputFiles: OutputFileStore };

export interface LocalSourceOptions {
  jobs: LocalQueueStores;
  outbox: string;
  log: Logger;
  /** Who holds the leases: host and process id. */
  owner: string;
  leaseMs: number;
}

/** True when files below `outbox` are named as outputs of `stem` (compared folded, folders too) and are not the
 * recording `input`'s own, unchanged. */
export function stemHeldOnDisk(
  files: OutputFileStore,
  outbox: string,
  output: { stem: string; input: string },
): boolean {
  const { stem, input } = output;
  return sameNamedFolders(outbox, dirname(stem)).some((dir) =>
    outputsNamed(dir, basename(stem)).some((p) => !files.isOurs(p, input)),
  );
}

export class LocalJobSource implements JobSource {
  private readonly jobs: LocalQueueStores;
  private readonly outbox: string;
  private readonly log: Logger;
  private readonly owner: string;
  private readonly leaseMs: number;

  constructor(o: LocalSourceOptions) {
    this.jobs = o.jobs;
    this.outbox = o.outbox;
    this.log = o.log;
    this.owner = o.owner;
    this.leaseMs = o.leaseMs;
  }

  recover(): number {
    return this.jobs.requeueAllRunning();
  }

  knows(path: string, size: number, mtimeMs: number): boolean {
    return this.jobs.findByFileStamp(path, size, Math.round(mtimeMs)) !== undefined;
  }

  async enqueue(f: IncomingFile): Promise<EnqueueStatus> {
    const { jobs, log } = this;
    for (const id of jobs.activeJobsForInput(f.input, f.sha256)) {
      log.info({ jobId: id, file: f.relPath }, 'the file changed; canceling the job made from its old content');
      jobs.cancel(id, CHANGED_REASON);
    }
    const result = jobs.enqueue({ ...f, outputStem: await this.outputStem(f) });
    log.info(
      {
        jobId: result.job.id,
        file: f.relPath,
        status: result.status,
        duplicateOf: result.job.duplicateOf ?? undefined,
      },
      result.status === 'duplicate'
        ? 'same content as an earlier job: its results will be published under this name'
        : 'queued',
    );
    return result.status;
  }

  /** The stem this input had before, else the first of core/outputNaming's candidates no other recording uses: no
   * job holds it (compared as a Mac compares names) and no file in the outbox is named as its output (a job pruned
   * after 90 days, a file put there by hand), unless it is this recording's own and unchanged. */
  private async outputStem(f: IncomingFile): Promise<string> {
    const { jobs, outbox } = this;
    const earlier = jobs.stems.forInput(f.input);
    if (earlier) return earlier;
    const abs = (rel: string) => join(outbox, ...rel.split('/'));
    const taken = (stem: string) =>
      jobs.stems.isTaken(stem, f.sha256, f.input) || stemHeldOnDisk(jobs.outputFiles, outbox, { stem, input: f.input });
    return abs(await chooseOutputStem(f.relPath, f.sha256, (rel) => taken(abs(rel))));
  }

  async claim(n: number): Promise<Job[]> {
    const claimed: Job[] = [];
    for (let job; claimed.length < n && (job = this.jobs.claimNext(this.owner, this.leaseMs));) claimed.push(job);
    return claimed;
  }

  nextClaimAt(): number | undefined {
    return this.jobs.nextReadyAt();
  }

  async renew(job: Job): Promise<'ok' | 'stop'> {
    this.jobs.renewLease(job.id, this.owner, this.leaseMs);
    return this.jobs.isCancelRequested(job.id) ? 'stop' : 'ok';
  }

  async finish(job: Job, r: Finished): Promise<void> {
    this.jobs.complete(job.id, r.outputs, r.degraded, r.notes, r.document, r.published);
  }

  async fail(job: Job, e: { message: string; kind: ErrorKind; outputs: string[] }): Promise<void> {
    this.jobs.fail(job.id, e.message, e.kind, e.outputs);
  }

  async retryLater(job: Job, delayMs: number, error: { message: string; kind: ErrorKind }): Promise<void> {
    this.jobs.requeue(job.id, delayMs, error);
  }

  async release(job: Job): Promise<void> {
    this.jobs.requeue(job.id);
  }

  async canceled(job: Job, reason?: string): Promise<void> {
    this.jobs.markCanceled(job.id, reason);
  }

  refOf(job: Job): string {
    return String(job.id);
  }

  async retry(ref: string): Promise<Reply> {
    const id = Number(ref);
    return this.jobs.retry(id)
      ? { ok: true, message: `job ${id} queued again` }
      : { ok: false, message: `job ${id} is not finished, failed or canceled (or does not exist)` };
  }

  async cancel(ref: string): Promise<Reply> {
    const id = Number(ref);
    const outcome = this.jobs.cancel(id);
    if (outcome === 'canceled') return { ok: true, message: `job ${id} canceled` };
    if (outcome === 'requested') return { ok: true, message: `job ${id} will stop within seconds` };
    return { ok: false, message: `job ${id} is not queued or running` };
  }

  async close(): Promise<void> {}
}
