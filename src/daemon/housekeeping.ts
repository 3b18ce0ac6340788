// node-cron housekeeping: stale-lease reaping, disk guard, inbox rescans, retention, nightly backup.
// Every task also runs once at start-up.
import cron, { type ScheduledTask } from 'node-cron';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isActive } from '../core/jobStates.js';
import { backupDatabase } from '../store/backup.js';
import type { Config } from '../config/config.js';
import { freeBytes } from '../resources/diskSpace.js';
import type { Db } from '../store/db.js';
import type { JobTable } from '../store/jobTable.js';
import type { RefusalStore } from '../store/refusals.js';
import type { Logger } from '../platform/log.js';

export interface HousekeepingHooks {
  rescan: () => number;
  setIntakePaused: (paused: boolean, why?: string) => void;
  activeJobIds: () => Set<number>;
  pumpScheduler: () => void;
}

export interface HousekeepingOptions {
  config: Config;
  /** Stale leases are reaped and old finished rows dropped here. */
  jobs: JobTable;
  /** Old refusals are dropped with the old jobs. */
  refusals: RefusalStore;
  /** The database the nightly backup copies. */
  db: Db;
  workRoot: string;
  hooks: HousekeepingHooks;
  log: Logger;
}

const DAY = 86_400_000;

export class Housekeeping {
  private tasks: ScheduledTask[] = [];

  private readonly config: Config;
  private readonly jobs: JobTable;
  private readonly refusals: RefusalStore;
  private readonly db: Db;
  private readonly workRoot: string;
  private readonly hooks: HousekeepingHooks;
  private readonly log: Logger;

  constructor(o: HousekeepingOptions) {
    this.config = o.config;
    this.jobs = o.jobs;
    this.refusals = o.refusals;
    this.db = o.db;
    this.workRoot = o.workRoot;
    this.hooks = o.hooks;
    this.log = o.log;
  }

  async start(): Promise<void> {
    this.checkDisk();
    this.retention();
    await this.backup();
    const every = Math.max(1, Math.round(this.config.stability.rescanMinutes));
    this.tasks = [
      cron.schedule(
        '* * * * *',
        () => {
          this.checkDisk();
          this.reap();
          this.hooks.pumpScheduler();
        },
        { name: 'disk-and-leases' },
      ),
      cron.schedule(
        `*/${every} * * * *`,
        () => {
          this.hooks.rescan();
        },
        { name: 'rescan' },
      ),
      cron.schedule('7 * * * *', () => this.retention(), { name: 'retention' }),
      cron.schedule(this.config.housekeeping.backupCron, () => void this.backup(), { name: 'backup' }),
    ];
  }

  async stop(): Promise<void> {
    for (const t of this.tasks) await t.stop();
    this.tasks = [];
  }

  reap(): void {
    const n = this.jobs.reapStaleLeases(this.hooks.activeJobIds());
    if (n) this.log.warn({ jobs: n }, 'requeued jobs whose lease ran out');
  }

  /** Pause intake while the data or outbox volume is low on space. */
  checkDisk(): boolean {
    const minBytes = this.config.housekeeping.minFreeDiskMb * 1024 ** 2;
    const low = [this.config.dataDir, this.config.outbox]
      .map((p) => ({ p, free: freeBytes(existsSync(p) ? p : join(p, '..')) }))
      .find(({ free }) => free !== undefined && free < minBytes);
    this.hooks.setIntakePaused(
      Boolean(low),
      low && `only ${Math.round(low.free! / 1024 ** 2)} MB free on the volume of ${low.p}`,
    );
    return Boolean(low);
  }

  /** Remove old job rows and refusals, and work folders no running or queued job needs. */
  retention(): void {
    const now = Date.now();
    const before = now - this.config.housekeeping.keepJobsDays * DAY;
    const dropped = this.jobs.deleteFinishedBefore(before) + this.refusals.deleteBefore(before);
    const active = this.hooks.activeJobIds();
    let removed = 0;
    let entries: string[] = [];
    try {
      entries = readdirSync(this.workRoot);
    } catch {
      /* no work yet */
    }
    for (const name of entries) {
      const id = Number(name);
      if (!Number.isInteger(id) || active.has(id)) continue;
      const job = this.jobs.get(id);
      const dir = join(this.workRoot, name);
      const ageMs = now - statSync(dir).mtimeMs;
      const keep =
        job &&
        (isActive(job.state) || (job.state === 'failed' && ageMs < this.config.housekeeping.keepFailedWorkDays * DAY));
      if (!keep) {
        rmSync(dir, { recursive: true, force: true });
        removed++;
      }
    }
    if (dropped || removed) this.log.info({ jobRows: dropped, workFolders: removed }, 'retention');
  }

  async backup(): Promise<void> {
    try {
      const file = await backupDatabase(this.db, this.config.dataDir);
      this.log.info({ file }, 'database backed up');
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'database backup failed');
    }
  }
}
