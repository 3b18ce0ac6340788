// node-cron housekeeping: stale-lease reaping, disk guard, inbox rescans, retention, nightly backup.
// Every task also runs once at start-up.
import cron, { type ScheduledTask } from 'node-cron';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isActive } from '../core/jobStates.js';
import { backupDatabase } from '../store/backup.js';
import type { Config } from '../config/config.js';
import { freeBytes } from '../resources/diskSpace.js';
import type { JobStore } from '../store/jobs.js';
import type { Logger } from '../platform/log.js';

export interface HousekeepingHooks {
  rescan: () => number;
  setIntakePaused: (paused: boolean, why?: string) => void;
  activeJobIds: () => Set<number>;
  pumpScheduler: () => void;
}

const DAY = 86_400_000;

export class Housekeeping {
  private tasks: ScheduledTask[] = [];

  constructor(
    private readonly config: Config,
    private readonly jobs: JobStore,
    private readonly workRoot: string,
    private readonly hooks: HousekeepingHooks,
    private readonly log: Logger,
  ) {}

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

  /** Remove old job rows and work folders no running or queued job needs. */
  retention(): void {
    const now = Date.now();
    const dropped = this.jobs.deleteFinishedBefore(now - this.config.housekeeping.keepJobsDays * DAY);
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
      const file = await backupDatabase(this.jobs.db, this.config.dataDir);
      this.log.info({ file }, 'database backed up');
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'database backup failed');
    }
  }
}
