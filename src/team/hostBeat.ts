// Keeps this host's row in the team's hosts table fresh (every team.hostBeatSec), so `status` can list live hosts.
import type { TeamQueue } from './teamQueue.js';

export interface HostLoad {
  running: number;
  capacity: number;
}

export interface HostBeatOptions {
  /** The team queue whose hosts table holds the row. */
  queue: TeamQueue;
  host: string;
  /** team.hostBeatSec. */
  beatSec: number;
  /** What the row says this host runs now, and can run. */
  load: () => HostLoad;
  /** dropscribe's version on this host, when known. */
  version?: string | null;
}

export class HostBeat {
  private timer: NodeJS.Timeout | undefined;
  private readonly queue: TeamQueue;
  private readonly host: string;
  private readonly beatSec: number;
  private readonly load: () => HostLoad;
  private readonly version: string | null;

  constructor(o: HostBeatOptions) {
    this.queue = o.queue;
    this.host = o.host;
    this.beatSec = o.beatSec;
    this.load = o.load;
    this.version = o.version ?? null;
  }

  start(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.beatSec * 1000);
    this.timer.unref();
  }

  /** Stop beating and leave the table (a graceful stop is not a dead host). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.queue
      .call(() =>
        this.queue
          .db()
          .executeSql(`DELETE FROM ${this.queue.schema}.hosts WHERE host = $1 AND pid = $2`, [this.host, process.pid]),
      )
      .catch(() => {});
  }

  async beat(): Promise<boolean> {
    if (!this.queue.online) return false;
    const { running, capacity } = this.load();
    try {
      await this.queue.call(() =>
        this.queue.db().executeSql(
          `
        INSERT INTO ${this.queue.schema}.hosts (host, pid, version, beat_sec, running, capacity, started_at, seen_at)
        VALUES ($1, $2, $3, $4, $5, $6, now(), now())
        ON CONFLICT (host) DO UPDATE SET pid = EXCLUDED.pid, version = EXCLUDED.version, beat_sec = EXCLUDED.beat_sec,
          running = EXCLUDED.running, capacity = EXCLUDED.capacity, seen_at = now(),
          started_at = CASE WHEN hosts.pid = EXCLUDED.pid THEN hosts.started_at ELSE now() END`,
          [this.host, process.pid, this.version, this.beatSec, running, capacity],
        ),
      );
      return true;
    } catch {
      return false; // offline: the queue reconnects; the next beat refreshes the row
    }
  }
}
