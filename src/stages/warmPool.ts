// Warm stage workers: decode, Silero and faster-whisper stay loaded between jobs, so short files do not pay for a
// Python start and a model load each. A worker is recycled after N requests, after any failure, and
// when idle for a while. MLX never runs warm (it crashes on a second transcribe() in one process).
import type { StageName } from '../core/contract.js';
import type { Logger } from '../platform/log.js';
import { StageProcess, type RequestOptions, type StageOutcome } from './stageRunner.js';

interface Idle {
  proc: StageProcess;
  timer: NodeJS.Timeout;
}

export interface WarmPoolOptions {
  python: string;
  log: Logger;
  /** stages.warmRecycleAfter: a worker is recycled after this many requests. */
  recycleAfter: number;
  /** stages.warmIdleSec in ms: an idle worker is stopped after this long. */
  idleMs: number;
}

export class WarmPool {
  private idle = new Map<string, Idle[]>();
  private inFlight = new Map<string, number>();
  private closed = false;
  /** Stage processes this pool has started: reuse shows as requests served without new starts. */
  workersStarted = 0;

  private readonly python: string;
  private readonly log: Logger;
  private readonly recycleAfter: number;
  private readonly idleMs: number;

  constructor(o: WarmPoolOptions) {
    this.python = o.python;
    this.log = o.log;
    this.recycleAfter = o.recycleAfter;
    this.idleMs = o.idleMs;
  }

  /** Run a request on an idle worker for `key`, or a new one; a failed worker is never reused. */
  async run<S extends StageName>(key: string, options: RequestOptions<S>): Promise<StageOutcome<S>> {
    const proc = this.take(key) ?? this.newWorker(options.request.stage);
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    try {
      const outcome = await proc.request(options);
      this.giveBack(key, proc);
      return outcome;
    } catch (err) {
      proc.kill();
      throw err;
    } finally {
      this.inFlight.set(key, this.inFlight.get(key)! - 1);
    }
  }

  /** Start a worker for `key` ahead of need, unless `limit` workers for it already exist. */
  prime(key: string, stage: StageName, limit: number): void {
    if (this.closed || (this.idle.get(key)?.length ?? 0) + (this.inFlight.get(key) ?? 0) >= limit) return;
    const proc = this.newWorker(stage);
    proc.start();
    this.giveBack(key, proc);
  }

  get idleCount(): number {
    let n = 0;
    for (const list of this.idle.values()) n += list.length;
    return n;
  }

  /** Stop every idle worker (busy ones end with their request). */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    await Promise.all(
      all.map(({ proc, timer }) => {
        clearTimeout(timer);
        return proc.close();
      }),
    );
  }

  private newWorker(stage: StageName): StageProcess {
    this.workersStarted++;
    return new StageProcess({ python: this.python, stage, warm: true, log: this.log });
  }

  private take(key: string): StageProcess | undefined {
    const list = this.idle.get(key);
    while (list?.length) {
      const { proc, timer } = list.pop()!;
      clearTimeout(timer);
      if (proc.alive) return proc;
    }
    return undefined;
  }

  private giveBack(key: string, proc: StageProcess): void {
    if (this.closed || !proc.alive || proc.requestsServed >= this.recycleAfter) {
      void proc.close();
      return;
    }
    const entry: Idle = {
      proc,
      timer: setTimeout(() => {
        const list = this.idle.get(key) ?? [];
        const i = list.indexOf(entry);
        if (i >= 0) list.splice(i, 1);
        void proc.close();
        this.log.debug({ key }, 'idle warm worker stopped');
      }, this.idleMs),
    };
    entry.timer.unref();
    this.idle.set(key, [...(this.idle.get(key) ?? []), entry]);
  }
}
