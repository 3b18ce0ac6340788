// Composition root: opens the store and hands each part the stores it uses; wires intake, watcher, scheduler,
// dispatcher and housekeeping; owns the lifecycle.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isAppleSilicon, mlxOffAppleSilicon } from '../stages/backends.js';
import { ConfigError, inboxOf, isInside, settingsFor, type Config } from '../config/config.js';
import { skipReason } from '../intake/inputFilter.js';
import { jobsDbFile, openDb, type Db } from '../store/db.js';
import { Housekeeping } from './housekeeping.js';
import { Intake } from '../intake/intake.js';
import { JobStore } from '../store/jobs.js';
import { acquireLock } from './lock.js';
import type { Logger } from '../platform/log.js';
import { defaultBudget, MemoryMonitor } from '../resources/memory.js';
import { createOutbox, sweepTemps } from '../output/outbox.js';
import { planJob } from '../pipeline/plan.js';
import { reportRefusal } from '../output/errorReports.js';
import { MemoryScheduler } from '../resources/scheduler.js';
import { InboxWatcher } from '../intake/watcher.js';
import { WarmPool } from '../stages/warmPool.js';
import { LocalJobSource } from '../queue/localSource.js';
import type { JobSource } from '../queue/jobSource.js';
import { teamConfigured } from '../config/teamSettings.js';
import { Dispatcher, LEASE_MS } from './dispatcher.js';
import type { UiServer } from '../ui/server.js';

const MEMORY_REFRESH_MS = 5_000; // how often the pressure level the scheduler sees is read again

export class Daemon {
  private db!: Db;
  /** The open store: each part below is given the narrow stores it uses (the pipeline, still the whole). */
  private store!: JobStore;
  private intake!: Intake;
  private watcher!: InboxWatcher;
  private housekeeping!: Housekeeping;
  private scheduler!: MemoryScheduler;
  private dispatcher: Dispatcher | undefined;
  private warm: WarmPool | undefined;
  private source: JobSource | undefined;
  private ui: UiServer | undefined;
  private releaseLock: (() => void) | undefined;
  private stopping = false;
  /** Why intake is paused: low disk space (housekeeping's guard), a disk that was full (waits.ts). */
  private readonly pausedFor = new Set<'low-disk' | 'disk-full'>();
  private readonly owner = `${hostname()}:${process.pid}`;
  private readonly memory = new MemoryMonitor();
  private readonly workRoot: string;

  constructor(
    readonly config: Config,
    private readonly log: Logger,
    private readonly opts: { teamFlag?: string } = {},
  ) {
    this.workRoot = join(config.dataDir, 'work');
  }

  async start(): Promise<void> {
    const c = this.config;
    for (const inbox of c.inboxes) {
      if (isInside(inbox, c.outbox))
        throw new ConfigError(
          `the outbox ${c.outbox} is inside the inbox ${inbox}; outputs would be picked up as inputs`,
        );
      try {
        mkdirSync(inbox, { recursive: true });
      } catch (err) {
        // An unmounted volume or a missing permission: watch the other inboxes; the rescan picks this one up later.
        this.log.error({ inbox, err: (err as Error).message }, 'cannot open this inbox');
      }
    }
    try {
      // Only below a folder that exists: never `/Volumes/Drive/...` on the system disk while the drive is away.
      if (createOutbox(c.outbox) === 'parent-missing')
        this.log.error(
          { outbox: c.outbox },
          'the folder above the outbox does not exist (a volume that is not mounted?); finished jobs wait for it',
        );
    } catch (err) {
      // A file in the way, a read-only volume: jobs wait and retry publishing; the daemon stays up.
      this.log.error(
        { outbox: c.outbox, err: (err as Error).message },
        'the outbox is not usable yet; finished jobs will retry publishing',
      );
    }
    mkdirSync(this.workRoot, { recursive: true, mode: 0o700 }); // private, as the data folder (platform/privateFiles.ts)
    this.releaseLock = acquireLock(c.dataDir);
    try {
      this.db = openDb(jobsDbFile(c.dataDir), { check: true });
    } catch (err) {
      this.releaseLock();
      throw err;
    }
    this.store = new JobStore(this.db);

    const memory = await this.memory.refresh();
    this.memory.start(MEMORY_REFRESH_MS);
    const budget = c.memory.budgetBytes ?? defaultBudget(memory.totalBytes);
    this.scheduler = new MemoryScheduler(budget, this.log, () => this.memory.pressure);
    this.log.info(
      { budgetMb: Math.round(budget / 2 ** 20), totalMb: Math.round(memory.totalBytes / 2 ** 20) },
      'memory budget',
    );
    const mlx = mlxOffAppleSilicon([c.job.backend, ...c.rules.map((r) => r.backend)]);
    if (mlx) this.log.warn(mlx);

    const source = await this.jobSource();
    this.source = source;
    const requeued = source.recover();
    const swept = sweepTemps(c.outbox);
    if (requeued || swept) this.log.info({ requeued, tempFilesRemoved: swept }, 'recovered after an unclean stop');

    if (c.stages.warm)
      this.warm = new WarmPool({
        python: c.python,
        log: this.log,
        recycleAfter: c.stages.warmRecycleAfter,
        idleMs: c.stages.warmIdleSec * 1000,
      });
    const dispatcher = new Dispatcher({
      config: c,
      source,
      stores: this.store,
      pipelineStores: this.store,
      scheduler: this.scheduler,
      log: this.log,
      workRoot: this.workRoot,
      warm: this.warm,
      intake: () => this.intake,
      pauseIntakeForDisk: (paused) => this.pauseIntake('disk-full', paused),
    });
    this.dispatcher = dispatcher;
    const refusals = this.store.refusals;
    this.intake = new Intake({
      config: c,
      source,
      refusals,
      log: this.log,
      onQueued: () => void dispatcher.pump(),
      onRefused: (refused) => reportRefusal({ refusals, outbox: c.outbox, refused, log: this.log }),
      onDiskFull: (err) => dispatcher.waits.noteDiskFull('intake', err),
    });
    this.watcher = new InboxWatcher(
      c.inboxes,
      (p) => {
        this.intake.consider(p);
        this.prewarm(p);
      },
      this.log,
    );
    this.housekeeping = new Housekeeping({
      config: c,
      jobs: this.store,
      refusals,
      db: this.db,
      workRoot: this.workRoot,
      hooks: {
        rescan: () => this.watcher.rescan(),
        setIntakePaused: (paused, why) => {
          if (paused !== this.pausedFor.has('low-disk'))
            this.log[paused ? 'warn' : 'info']({ why }, paused ? 'intake paused: disk space is low' : 'disk space ok');
          this.pauseIntake('low-disk', paused);
        },
        activeJobIds: () => dispatcher.activeJobIds(),
        pumpScheduler: () => this.scheduler.pump(),
      },
      log: this.log,
    });
    await this.housekeeping.start();
    this.intake.start();
    await this.watcher.start();
    dispatcher.start();
    if (c.ui.enabled) await this.startUi(dispatcher, source);
  }

  /** The web page; its server code is loaded only here. A port in use leaves the daemon running without it. */
  private async startUi(dispatcher: Dispatcher, source: JobSource): Promise<void> {
    try {
      const { startUi } = await import('../ui/server.js');
      this.ui = await startUi({
        config: this.config,
        jobs: this.store,
        source,
        log: this.log,
        wake: () => void dispatcher.pump(),
      });
    } catch (err) {
      this.log.error(
        { port: this.config.ui.port, err: (err as Error).message },
        'the web page is off: cannot listen on its port (another program uses it? set ui.port)',
      );
    }
  }

  /** Stop intake, stop running stages, put their jobs back in the queue, and close. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info({ running: this.dispatcher?.running ?? 0 }, 'stopping');
    this.dispatcher?.halt();
    await this.ui?.close();
    this.intake?.stop();
    this.memory.stop();
    await this.watcher?.stop();
    await this.housekeeping?.stop();
    await this.dispatcher?.drain(); // running jobs go back to the queue
    await this.source?.close();
    await this.warm?.close();
    this.dispatcher?.removeStatusFile();
    this.db?.close();
    this.releaseLock?.();
    this.log.info('stopped');
  }

  /** Pause intake for `reason`, or lift that reason; when no reason is left, look again for what arrived meanwhile. */
  private pauseIntake(reason: 'low-disk' | 'disk-full', paused: boolean): void {
    if (paused) this.pausedFor.add(reason);
    else this.pausedFor.delete(reason);
    const was = this.intake?.paused ?? false;
    if (!this.intake) return;
    this.intake.paused = this.pausedFor.size > 0;
    if (was && !this.intake.paused) {
      this.log.info('intake resumed');
      this.watcher?.rescan();
    }
  }

  /** The job source, chosen once: the team's shared queue when a team URL is set (its modules, pg-boss and pg, are
   * loaded only then), else the local SQLite queue. */
  private async jobSource(): Promise<JobSource> {
    const c = this.config;
    const local = { log: this.log, owner: this.owner, leaseMs: LEASE_MS };
    const localSource = () => new LocalJobSource({ ...local, jobs: this.store, outbox: c.outbox });
    if (!teamConfigured(c.team, this.opts.teamFlag)) return localSource();
    const { startTeamSource } = await import('../team/teamMode.js');
    const team = await startTeamSource({
      ...local,
      jobs: this.store,
      runs: this.store.runs,
      outputFiles: this.store.outputFiles,
      config: c,
      scheduler: this.scheduler,
      running: () => this.dispatcher?.running ?? 0,
      teamFlag: this.opts.teamFlag,
    });
    return team ?? localSource();
  }

  /** Start the warm workers a new file will need while it goes through its stability window. */
  private prewarm(path: string): void {
    const inbox = inboxOf(this.config, path);
    if (!this.warm || !inbox || this.intake.paused || skipReason(path)) return;
    const { warmKeys } = planJob(settingsFor(this.config, inbox, path), this.config, isAppleSilicon());
    for (const [key, stage] of warmKeys) {
      this.warm.prime(key, stage, this.config.jobs.concurrency);
    }
  }
}
