// A stage request's stall and timeout limits, counted in awake time: a watchdog tick that comes much later than it
// was due (the Mac slept, or every process was stopped) counts at most MAX_TICK_CREDIT_MS, so a frozen daemon is told
// apart from a silent stage and nobody is killed for the time the whole machine was asleep.

/** How often the watchdog looks. */
export const TICK_MS = 250;
/** The most one tick counts: a longer gap means the daemon itself was frozen, and the rest is not counted. */
export const MAX_TICK_CREDIT_MS = 2_000;

/** Time the daemon was awake to see, advanced by ticks. */
export class AwakeClock {
  private last: number;
  /** Awake milliseconds counted so far. */
  awakeMs = 0;

  constructor(private readonly now: () => number = Date.now) {
    this.last = now();
  }

  /** Advance to now; returns the frozen time of this gap (the part not counted), 0 when the tick came on time. */
  tick(): number {
    const t = this.now();
    const gap = Math.max(0, t - this.last);
    this.last = t;
    const counted = Math.min(gap, MAX_TICK_CREDIT_MS);
    this.awakeMs += counted;
    return gap - counted;
  }
}

export type WatchVerdict = { kind: 'stalled' | 'timeout'; message: string };

/** One request's limits: silent longer than `stallMs`, or running longer than `timeoutMs`, both in awake time. */
export class RequestWatch {
  private readonly startedAt: number;
  private lastEventAt: number;

  constructor(
    private readonly clock: AwakeClock,
    private readonly stallMs: number,
    private readonly timeoutMs: number,
  ) {
    this.startedAt = clock.awakeMs;
    this.lastEventAt = clock.awakeMs;
  }

  /** The stage sent an event. */
  heard(): void {
    this.lastEventAt = this.clock.awakeMs;
  }

  /** The limit the request broke, if it broke one. */
  verdict(): WatchVerdict | undefined {
    const now = this.clock.awakeMs;
    if (now - this.startedAt > this.timeoutMs)
      return {
        kind: 'timeout',
        message: `ran longer than its limit of ${Math.round(this.timeoutMs / 1000)} s and was stopped`,
      };
    if (now - this.lastEventAt > this.stallMs)
      return { kind: 'stalled', message: `sent no heartbeat for ${Math.round(this.stallMs / 1000)} s and was stopped` };
    return undefined;
  }
}
