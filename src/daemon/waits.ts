// Jobs that wait for something outside them: the outbox (gone, read-only, full) or disk space for the data folder.
// Every few seconds a cheap probe looks whether it is back; then the waiting jobs are woken at once (not at the end
// of their back-off), intake paused for a full disk goes on, a job whose end could not be written waits no longer
// (spaceBack), and runs whose end could not be written by a daemon that stopped (their lease ran out) are requeued.
import type { Config } from '../config/config.js';
import { probeOutbox } from '../output/outbox.js';
import type { Logger } from '../platform/log.js';
import { spaceIsBack } from '../resources/diskFull.js';
import type { WaitingJobs } from '../store/waitingJobs.js';

/** How often the probes run while something waits. */
export const WAIT_PROBE_MS = 2_000;

/** What the probes read and wake: the jobs waiting, and (the jobs table's) leases of runs whose end could not be
 * written. */
export interface WaitStores {
  waiting: WaitingJobs;
  reapStaleLeases(running?: ReadonlySet<number>): number;
}

export interface WaitHooks {
  /** Pause or resume intake because the data folder's disk is full. */
  pauseIntake: (paused: boolean) => void;
  /** Jobs this daemon runs now (never requeued from under it). */
  activeJobIds: () => Set<number>;
  /** Something woke: look for ready jobs. */
  pump: () => void;
}

export interface WaitsOptions {
  config: Config;
  stores: WaitStores;
  hooks: WaitHooks;
  log: Logger;
  /** The clock (tests pass a fake one). */
  now?: () => number;
}

export class Waits {
  private diskFull = false;
  private lastProbe = 0;
  private readonly spaceWaiters = new Set<() => void>();
  private readonly config: Config;
  private readonly stores: WaitStores;
  private readonly hooks: WaitHooks;
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(o: WaitsOptions) {
    this.config = o.config;
    this.stores = o.stores;
    this.hooks = o.hooks;
    this.log = o.log;
    this.now = o.now ?? Date.now;
  }

  /** True while intake is paused because the disk was full. */
  get waitingForSpace(): boolean {
    return this.diskFull;
  }

  /** Something met a full disk: pause intake until there is space again. */
  noteDiskFull(where: string, err: unknown): void {
    if (!this.diskFull)
      this.log.warn(
        { where, err: (err as Error)?.message ?? String(err), dataDir: this.config.dataDir },
        'the disk is full: intake paused, jobs wait for space',
      );
    this.diskFull = true;
    this.hooks.pauseIntake(true);
  }

  /** Resolves once the probe sees space on the data folder's disk again, or when `signal` is aborted. */
  spaceBack(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        this.spaceWaiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.spaceWaiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Run the probes if they are due (called every second by the dispatcher). */
  tick(): void {
    const t = this.now();
    if (t - this.lastProbe < WAIT_PROBE_MS) return;
    this.lastProbe = t;
    try {
      this.probe();
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, 'wait probe failed; trying again');
    }
  }

  private probe(): void {
    let woke = 0;
    const minFreeMb = this.config.housekeeping.minFreeDiskMb;
    if (
      (this.diskFull || this.spaceWaiters.size > 0 || this.stores.waiting.count('disk-full') > 0) &&
      spaceIsBack(this.config.dataDir, minFreeMb)
    ) {
      for (const wake of [...this.spaceWaiters]) wake(); // first: their ends are written before anything else
      const requeued = this.stores.reapStaleLeases(this.hooks.activeJobIds());
      woke += this.stores.waiting.wake('disk-full') + requeued;
      if (this.diskFull) this.log.info({ dataDir: this.config.dataDir }, 'disk space is back: intake resumes');
      this.diskFull = false;
      this.hooks.pauseIntake(false);
    }
    if (this.stores.waiting.count('outbox') > 0 && !probeOutbox(this.config.outbox)) {
      const n = this.stores.waiting.wake('outbox');
      if (n) this.log.info({ outbox: this.config.outbox, jobs: n }, 'the outbox is back: publishing');
      woke += n;
    }
    if (woke) this.hooks.pump();
  }
}
