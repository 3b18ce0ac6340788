// The daemon's dispatcher in team mode: fetch as many team jobs as this host admits, mirror each in a local job row
// (so the pipeline, stage caches and learned peaks work as they do alone), keep the team lease, and report the local
// outcome to the team. A cancel from any host, or a lease lost to another host, stops the local run.
import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { JobSettings, settingsFor, type Config } from '../config.js';
import { sha256File } from '../platform/hashFile.js';
import type { Logger } from '../platform/log.js';
import { learnedPeak, tablePeak } from '../resources/peaks.js';
import type { MemoryScheduler } from '../resources/scheduler.js';
import type { Job, JobStore } from '../store/jobs.js';
import { admittedJobs } from './capacity.js';
import type { TeamJob, TeamResult } from './teamJob.js';
import type { TeamQueue } from './teamQueue.js';

export interface DispatchDeps {
  config: Config;
  jobs: JobStore;
  scheduler: MemoryScheduler;
  log: Logger;
  host: string;
  owner: string;
  leaseMs: number;
  /** Run a claimed local job (the daemon's runJob with its bookkeeping). */
  startJob(job: Job): void;
  /** Local jobs running now. */
  running(): number;
}

interface Entry {
  team: TeamJob;
  localId: number;
  touchedAt: number;
  /** The team canceled it or another host took it over: report nothing. */
  dropped?: 'canceled' | 'lost';
}

const FINISHED = new Set(['done', 'failed', 'canceled']);

export class TeamDispatcher {
  private entries = new Map<string, Entry>();
  private fetching = false;
  private tending = false;
  private stopping = false;
  private pauseUntil = 0;

  constructor(
    private readonly queue: TeamQueue,
    private readonly d: DispatchDeps,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Local rows left queued by an earlier run belong to the team now (their leases hand them over): cancel them. */
  forgetLocalQueue(): number {
    const queued = this.d.jobs.list(100_000).filter((j) => j.state === 'queued' && j.duplicateOf === null);
    for (const j of queued) this.d.jobs.markCanceled(j.id);
    return queued.length;
  }

  /** Fetch what this host can take now and start it. */
  async pump(): Promise<void> {
    if (this.fetching || this.stopping || !this.queue.online || Date.now() < this.pauseUntil) return;
    const n = admittedJobs({
      concurrency: this.d.config.jobs.concurrency,
      running: Math.max(this.d.running(), this.entries.size),
      budgetBytes: this.d.scheduler.budgetBytes,
      reservedBytes: this.d.scheduler.reservedBytes,
      jobPeakBytes: this.jobPeak(),
    });
    if (n < 1) return;
    this.fetching = true;
    try {
      for (const t of await this.queue.fetch(n).catch(() => [])) await this.adopt(t);
    } finally {
      this.fetching = false;
    }
  }

  private jobPeak(): number {
    const model = this.d.config.job.model ?? 'base';
    return learnedPeak(this.d.jobs.runs.recentPeaks('transcribe', null, model)) ?? tablePeak('transcribe', null, model);
  }

  /** Map the team job to this host's inbox, check the local copy is the same content, mirror and start it. */
  private async adopt(t: TeamJob): Promise<void> {
    const inbox = this.d.config.inboxes[t.inboxIndex] ?? this.d.config.inboxes[0]!;
    const input = join(inbox, ...t.relPath.split('/'));
    const sameCopy =
      existsSync(input) &&
      statSync(input).size === t.size &&
      (await sha256File(input).then(
        (h) => h === t.sha256,
        () => false,
      ));
    if (!sameCopy) {
      // Not synced here yet (or another version): hand it back and let other hosts take it for a while.
      this.d.log.info(
        { file: t.relPath },
        'team job handed back: this Mac does not have the same copy of the file yet',
      );
      this.pauseUntil = Date.now() + 10_000;
      await this.queue.release(t);
      return;
    }
    const st = statSync(input);
    const settings = JobSettings.safeParse(t.settings);
    const r = this.d.jobs.enqueue({
      input,
      inbox,
      relPath: t.relPath,
      outputStem: join(this.d.config.outbox, ...t.outputRel.split('/')),
      sha256: t.sha256,
      size: st.size,
      mtimeMs: Math.round(st.mtimeMs),
      settings: settings.success ? settings.data : settingsFor(this.d.config, inbox, input),
    });
    this.entries.set(t.id, { team: t, localId: r.job.id, touchedAt: Date.now() });
    if (r.status === 'duplicate') return; // the local duplicate machinery publishes it; tend() reports it
    const claimed = this.d.jobs.claimNext(this.d.owner, this.d.leaseMs);
    if (claimed?.id !== r.job.id) {
      this.d.log.error(
        { teamJob: t.id, localJob: r.job.id, claimed: claimed?.id },
        'team job mirror was not the next local job',
      );
      if (claimed) this.d.jobs.requeue(claimed.id);
      return;
    }
    this.d.log.info(
      { jobId: claimed.id, teamJob: t.id.slice(0, 8), file: t.relPath, attempt: t.attempt + 1 },
      'team job taken',
    );
    this.d.startJob(claimed);
  }

  /** Every second: keep leases, pass cancels on, report finished jobs, hand back requeued ones. */
  async tend(): Promise<void> {
    if (this.tending) return;
    this.tending = true;
    try {
      await this.tendEntries();
    } finally {
      this.tending = false;
    }
  }

  private async tendEntries(): Promise<void> {
    const touchEveryMs = Math.min(5000, (this.d.config.team.heartbeatSec * 1000) / 4);
    for (const [id, e] of [...this.entries]) {
      const local = this.d.jobs.get(e.localId);
      if (!local) {
        this.entries.delete(id);
        continue;
      }
      if (FINISHED.has(local.state)) await this.report(e, local);
      else if (local.state === 'queued' && local.duplicateOf === null) await this.handBack(e, local);
      else if (Date.now() - e.touchedAt >= touchEveryMs) {
        const outcome = await this.queue.touch(e.team, local.stage, local.progress);
        if (outcome !== 'offline') e.touchedAt = Date.now();
        if (outcome === 'canceled' || outcome === 'lost') {
          e.dropped = outcome;
          this.d.log.info(
            { jobId: e.localId, teamJob: id.slice(0, 8) },
            outcome === 'canceled'
              ? 'team job canceled'
              : 'team lease lost (another host has the job): stopping it here',
          );
          this.d.jobs.cancel(e.localId);
        }
      }
    }
  }

  private async report(e: Entry, local: Job): Promise<void> {
    if (e.dropped && local.state === 'canceled') {
      this.entries.delete(e.team.id);
      return;
    }
    const result: TeamResult = {
      host: this.d.host,
      outcome: local.state as TeamResult['outcome'],
      outputs: local.outputs.map((o) => relative(this.d.config.outbox, o).split('\\').join('/')),
      degraded: local.degraded,
      notes: local.notes,
      error: local.error ?? undefined,
      errorKind: local.errorKind ?? undefined,
    };
    const outcome = await this.queue.finish(e.team, result);
    this.entries.delete(e.team.id);
    this.d.log.info(
      { jobId: e.localId, teamJob: e.team.id.slice(0, 8), state: local.state, outcome },
      'team job reported',
    );
  }

  private async handBack(e: Entry, local: Job): Promise<void> {
    await this.queue.release(e.team);
    this.d.jobs.markCanceled(local.id);
    this.entries.delete(e.team.id);
    this.d.log.info({ jobId: local.id, teamJob: e.team.id.slice(0, 8) }, 'team job handed back');
  }

  /** After the daemon stopped its runs (their rows requeued): report what finished, hand back the rest. */
  async stop(): Promise<void> {
    this.stopping = true;
    while (this.tending) await new Promise((r) => setTimeout(r, 20));
    await this.tend();
  }
}
