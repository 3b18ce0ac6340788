// After a burst of file-system events (a folder of thousands of recordings dropped at once), walk the inboxes once
// the burst has gone quiet: the kernel's event queue can overflow in a flood (inotify drops events silently), and
// without this walk the files it dropped would wait for the periodic rescan (`stability.rescanMinutes`).

/** A burst is at least this many new files... */
export const BURST_MIN_EVENTS = 200;
/** ...followed by this long without a new one. */
export const BURST_QUIET_MS = 3_000;

export class BurstRescan {
  private events = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly rescan: (events: number) => void,
    /** A quiet spell after fewer events than a burst (nothing to walk for). */
    private readonly trickle: () => void = () => {},
    private readonly minEvents = BURST_MIN_EVENTS,
    private readonly quietMs = BURST_QUIET_MS,
  ) {}

  /** One new file seen by the watcher. */
  note(): void {
    this.events++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.settle(), this.quietMs);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private settle(): void {
    const events = this.events;
    this.events = 0;
    this.timer = undefined;
    if (events >= this.minEvents) this.rescan(events);
    else this.trickle();
  }
}
