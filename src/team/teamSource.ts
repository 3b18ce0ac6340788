// The team's job source: files become jobs on the shared queue (once per file for the whole team); this host fetches
// what its free slots and memory budget admit, runs each as a local row it leases at once (so the pipeline, stage
// caches and learned peaks work as they do alone), keeps the team lease and reports the outcome to the team.
// A cancel from any host, or a lease lost to another host, stops the local run.
import { readFileSync, statSync, type Stats } from 'node:fs';
import { relative } from 'node:path';
import type { ErrorKind } from '../core/contract.js';
import { isFinished, type FinishedState } from '../core/jobStates.js';
import { chooseOutputStem } from '../core/outputNaming.js';
import { DEFAULT_SETTINGS, type Config } from '../config/config.js';
import { sha256File } from '../platform/hashFile.js';
import type { Logger } from '../platform/log.js';
import type { EnqueueStatus, Finished, IncomingFile, JobSource, Reply } from '../queue/jobSource.js';
import { learnedPeak, tablePeak } from '../resources/peaks.js';
import type { MemoryScheduler } from '../resources/scheduler.js';
import type { Job } from '../store/jobRow.js';
import type { JobTable } from '../store/jobTable.js';
import { sha256Of, type OutputFileStore } from '../store/outputFiles.js';
import type { StageRunStore } from '../store/stageRuns.js';
import { admittedJobs } from './capacity.js';
import { TeamOfflineError } from './connectionError.js';
import { cancelTeamJob, retryTeamJob } from './teamCommands.js';
import { checkTeamJob, type TeamJobCheck } from './teamJobCheck.js';
import { jobIdFor, jobKey, type PublishedFile, type TeamJob, type TeamResult } from './teamJob.js';
import type { TeamQueue } from './teamQueue.js';
import { findTeamJobId, liveHosts, type TeamHostView } from './teamStatus.js';

export interface TeamSourceOptions {
  config: Config;
  /** The local rows that mirror the team jobs this host runs. */
  jobs: JobTable;
  /** Learned memory peaks: how many team jobs this host's budget admits. */
  runs: StageRunStore;
  /** A job queued again after another host finished it: the files published there count as ours here. */
  outputFiles: OutputFileStore;
  scheduler?: MemoryScheduler;
  log: Logger;
  host: string;
  owner: string;
  leaseMs: number;
  /** Local jobs running now. */
  running(): number;
  /** What else stops with the source (the host heartbeat), before the connection closes. */
  beforeClose?: () => Promise<void>;
}

interface Entry {
  team: TeamJob;
  touchedAt: number;
  /** The team canceled it or another host took it over: report nothing. */
  dropped?: boolean;
}

/** How long a host that lacks a file's synced copy leaves the queue to the other hosts. */
const HAND_BACK_PAUSE_MS = 10_000;

export class TeamJobSource implements JobSource {
  /** Team jobs running here, by local job id. */
  private readonly entries = new Map<number, Entry>();
  /** Team jobs whose content this host already has: the local duplicate machinery publishes them. */
  private readonly duplicates = new Map<number, Entry>();
  /** Files (path, size, mtime) the team already has a job for: a rescan need not hash them again. */
  private readonly known = new Set<string>();
  private pauseUntil = 0;

  private readonly config: Config;
  private readonly jobs: JobTable;
  private readonly runs: StageRunStore;
  private readonly outputFiles: OutputFileStore;
  private readonly scheduler: MemoryScheduler | undefined;
  private readonly log: Logger;
  private readonly host: string;
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly running: () => number;
  private readonly beforeClose: (() => Promise<void>) | undefined;

  constructor(
    private readonly queue: TeamQueue,
    o: TeamSourceOptions,
  ) {
    this.config = o.config;
    this.jobs = o.jobs;
    this.runs = o.runs;
    this.outputFiles = o.outputFiles;
    this.scheduler = o.scheduler;
    this.log = o.log;
    this.host = o.host;
    this.owner = o.owner;
    this.leaseMs = o.leaseMs;
    this.running = () => o.running();
    this.beforeClose = o.beforeClose;
  }

  /** Local rows left running or queued by an earlier run were mirrors of team jobs whose leases hand them over. */
  recover(): number {
    const { jobs } = this;
    jobs.requeueAllRunning();
    const left = jobs.list(100_000).filter((j) => j.state === 'queued' && j.duplicateOf === null);
    for (const j of left) jobs.markCanceled(j.id);
    return left.length;
  }

  /** The hosts sharing the queue now (the web page shows them). */
  hosts(): Promise<TeamHostView[]> {
    return liveHosts(this.queue);
  }

  knows(path: string, size: number, mtimeMs: number): boolean {
    return (
      this.known.has(stamp(path, size, mtimeMs)) ||
      this.jobs.findByFileStamp(path, size, Math.round(mtimeMs)) !== undefined
    );
  }

  /** Offline: 'waiting' (intake keeps the file and tries again). */
  async enqueue(f: IncomingFile): Promise<EnqueueStatus> {
    const inboxIndex = Math.max(0, this.config.inboxes.indexOf(f.inbox));
    try {
      const relPath = f.relPath.split('\\').join('/');
      const outputRel = await chooseOutputStem(relPath, f.sha256, (stem) => this.queue.outputRelTaken(stem, relPath));
      const { status, id } = await this.queue.enqueue({
        relPath,
        inboxIndex,
        sha256: f.sha256,
        size: f.size,
        mtimeMs: f.mtimeMs,
        outputRel,
        settings: f.settings as unknown as Record<string, unknown>,
        enqueuedBy: this.host,
      });
      this.known.add(stamp(f.input, f.size, f.mtimeMs));
      this.log.info(
        { teamJob: id.slice(0, 8), file: relPath, status },
        status === 'queued' ? 'queued for the team' : 'the team already has this file',
      );
      return status;
    } catch (err) {
      if (err instanceof TeamOfflineError) return 'waiting';
      throw err;
    }
  }

  async claim(n: number): Promise<Job[]> {
    await this.reportDuplicates();
    if (!this.queue.online || Date.now() < this.pauseUntil) return [];
    const { config, scheduler } = this;
    const model = config.job.model ?? DEFAULT_SETTINGS.model;
    const admitted = admittedJobs({
      concurrency: Math.min(config.jobs.concurrency, this.running() + n),
      running: Math.max(this.running(), this.entries.size),
      budgetBytes: scheduler?.budgetBytes ?? Number.MAX_SAFE_INTEGER,
      reservedBytes: scheduler?.reservedBytes ?? 0,
      jobPeakBytes:
        learnedPeak(this.runs.recentPeaks('transcribe', null, model)) ?? tablePeak('transcribe', null, model),
    });
    if (admitted < 1) return [];
    const fetched = await this.queue.fetch(admitted).catch(() => []);
    const claimed: Job[] = [];
    for (const t of fetched) {
      const job = await this.adopt(t);
      if (job) claimed.push(job);
    }
    return claimed;
  }

  /** Check the team job (paths, settings: teamJobCheck.ts), map it to this host's inbox, check the local copy is the
   * same content, and lease it as a local row. A job asking for what this host never does is failed for the team. */
  private async adopt(t: TeamJob): Promise<Job | undefined> {
    const checked = checkTeamJob(this.config, t);
    if (!checked.ok && !checked.missing) return this.refuse(t, checked.refused);
    if (checked.ok) {
      const st = statSync(checked.input);
      if (st.size === t.size && (await sha256File(checked.input).catch(() => '')) === t.sha256)
        return this.lease(t, checked, st);
    }
    this.log.info({ file: t.relPath }, 'team job handed back: this Mac does not have the same copy of the file yet');
    this.pauseUntil = Date.now() + HAND_BACK_PAUSE_MS;
    await this.queue.release(t);
    return undefined;
  }

  private lease(t: TeamJob, c: Extract<TeamJobCheck, { ok: true }>, st: Stats): Job | undefined {
    const { jobs } = this;
    if (c.notTaken.length)
      this.log.warn(
        { teamJob: t.id.slice(0, 8), from: t.enqueuedBy, settings: c.notTaken },
        "team job: settings another host may not choose were left out; this host's own are used",
      );
    const r = jobs.enqueue({
      input: c.input,
      inbox: c.inbox,
      relPath: t.relPath,
      outputStem: c.outputStem,
      sha256: t.sha256,
      size: st.size,
      mtimeMs: Math.round(st.mtimeMs),
      settings: c.settings,
    });
    const entry = { team: t, touchedAt: Date.now() };
    if (r.status === 'duplicate') {
      this.duplicates.set(r.job.id, entry);
      return undefined;
    }
    // Queued again after another host finished it: the files it published there are dropscribe's own here too.
    if (c.published.length) this.outputFiles.recordVersions({ input: c.input, jobId: r.job.id }, c.published);
    const job = jobs.claim(r.job.id, this.owner, this.leaseMs);
    if (!job) throw new Error(`team job ${t.id}: its local row ${r.job.id} could not be leased`);
    this.entries.set(job.id, entry);
    this.log.info(
      { jobId: job.id, teamJob: t.id.slice(0, 8), file: t.relPath, attempt: t.attempt + 1 },
      'team job taken',
    );
    return job;
  }

  /** Fail a team job this host will not run, with the reason, for the whole team (the worker goes on). */
  private async refuse(t: TeamJob, reason: string): Promise<undefined> {
    this.log.warn({ teamJob: String(t.id).slice(0, 8), from: t.enqueuedBy }, `team job refused: ${reason}`);
    await this.queue.finish(t, {
      host: this.host,
      outcome: 'failed',
      outputs: [],
      error: `refused by ${this.host}: ${reason}`,
      errorKind: 'bad-input',
    });
    return undefined;
  }

  /** Duplicates end when their original does (the local duplicate machinery publishes them): report those. */
  private async reportDuplicates(): Promise<void> {
    for (const [id, e] of [...this.duplicates]) {
      const local = this.jobs.get(id);
      if (local && !isFinished(local.state)) continue;
      this.duplicates.delete(id);
      if (local) await this.report(e, local.state as FinishedState, local);
    }
  }

  nextClaimAt(): number | undefined {
    return Math.max(Date.now() + this.config.team.pollMs, this.pauseUntil);
  }

  /** Keep the local lease every call and the team lease every few seconds. */
  async renew(job: Job): Promise<'ok' | 'stop'> {
    const { jobs, config } = this;
    jobs.renewLease(job.id, this.owner, this.leaseMs);
    const e = this.entries.get(job.id);
    if (!e || e.dropped) return e ? 'stop' : 'ok';
    if (Date.now() - e.touchedAt < Math.min(5000, (config.team.heartbeatSec * 1000) / 4)) return 'ok';
    const now = jobs.get(job.id);
    const outcome = await this.queue.touch(e.team, now?.stage ?? null, now?.progress ?? 0);
    if (outcome !== 'offline') e.touchedAt = Date.now();
    if (outcome !== 'canceled' && outcome !== 'lost') return 'ok';
    e.dropped = true;
    this.log.info(
      { jobId: job.id, teamJob: e.team.id.slice(0, 8) },
      outcome === 'canceled' ? 'team job canceled' : 'team lease lost (another host has the job): stopping it here',
    );
    return 'stop';
  }

  async finish(job: Job, r: Finished): Promise<void> {
    this.jobs.complete(job.id, r.outputs, r.degraded, r.notes, r.document, r.published);
    await this.reportEntry(job, 'done');
  }

  async fail(job: Job, e: { message: string; kind: ErrorKind; outputs: string[] }): Promise<void> {
    this.jobs.fail(job.id, e.message, e.kind, e.outputs);
    await this.reportEntry(job, 'failed');
  }

  /** The team retries it, here or on another host. */
  async retryLater(job: Job): Promise<void> {
    await this.release(job);
  }

  async release(job: Job): Promise<void> {
    this.jobs.markCanceled(job.id);
    const e = this.entries.get(job.id);
    this.entries.delete(job.id);
    if (!e || e.dropped) return;
    await this.queue.release(e.team);
    this.log.info({ jobId: job.id, teamJob: e.team.id.slice(0, 8) }, 'team job handed back');
  }

  async canceled(job: Job): Promise<void> {
    this.jobs.markCanceled(job.id);
    await this.reportEntry(job, 'canceled');
  }

  private async reportEntry(job: Job, outcome: TeamResult['outcome']): Promise<void> {
    const e = this.entries.get(job.id);
    this.entries.delete(job.id);
    if (e && !e.dropped) await this.report(e, outcome, this.jobs.get(job.id) ?? job);
  }

  private async report(e: Entry, outcome: TeamResult['outcome'], local: Job): Promise<void> {
    const result: TeamResult = {
      host: this.host,
      outcome,
      outputs: local.outputs.map((o) => relative(this.config.outbox, o).split('\\').join('/')),
      published: publishedFiles(this.config.outbox, local.outputs),
      degraded: local.degraded,
      notes: local.notes,
      error: local.error ?? undefined,
      errorKind: local.errorKind ?? undefined,
    };
    const settled = await this.queue.finish(e.team, result);
    this.log.info({ jobId: local.id, teamJob: e.team.id.slice(0, 8), outcome, settled }, 'team job reported');
  }

  /** The team job a local row mirrors: the one running here, or the one its file's key names (one id per file). */
  refOf(job: Job): string {
    const held = this.entries.get(job.id) ?? this.duplicates.get(job.id);
    if (held) return held.team.id;
    const inboxIndex = Math.max(0, this.config.inboxes.indexOf(job.inbox));
    return jobIdFor(jobKey(inboxIndex, job.relPath, job.sha256));
  }

  async retry(ref: string): Promise<Reply> {
    return this.onTeamJob(ref, async (id) =>
      (await retryTeamJob(this.queue, id))
        ? { ok: true, message: `team job ${id.slice(0, 8)} queued again` }
        : { ok: false, message: `team job ${id.slice(0, 8)} is not finished, failed or canceled` },
    );
  }

  async cancel(ref: string): Promise<Reply> {
    return this.onTeamJob(ref, async (id) =>
      (await cancelTeamJob(this.queue, id))
        ? { ok: true, message: `team job ${id.slice(0, 8)} canceled (a running job stops on its host within seconds)` }
        : { ok: false, message: `team job ${id.slice(0, 8)} is not queued or running` },
    );
  }

  private async onTeamJob(ref: string, act: (id: string) => Promise<Reply>): Promise<Reply> {
    const id = await findTeamJobId(this.queue, ref);
    return id
      ? act(id)
      : { ok: false, message: `no team job ${ref} (give the id, or its first characters, as status shows it)` };
  }

  async close(): Promise<void> {
    await this.beforeClose?.();
    await this.queue.stop();
  }
}

function stamp(path: string, size: number, mtimeMs: number): string {
  return `${size}:${Math.round(mtimeMs)}:${path}`;
}

/** The hashes of the outputs a job published (those still there), for the host that may run it again. */
function publishedFiles(outbox: string, outputs: string[]): PublishedFile[] {
  return outputs.flatMap((path) => {
    try {
      const content = readFileSync(path);
      return [{ rel: relative(outbox, path).split('\\').join('/'), sha256: sha256Of(content), size: content.length }];
    } catch {
      return [];
    }
  });
}
