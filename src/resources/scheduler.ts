// Admits stages while the reserved peaks fit the memory budget; at most one GPU (MLX) stage at a time.
// A stage bigger than the whole budget runs alone, with a warning.
import type { Logger } from '../platform/log.js';
import type { Pressure } from './memory.js';

export interface Reservation {
  id: number;
  label: string;
  bytes: number;
  gpu: boolean;
}

interface Waiter extends Reservation {
  grant: (release: () => void) => void;
  fail: (err: Error) => void;
}

export class MemoryScheduler {
  private running = new Map<number, Reservation>();
  private queue: Waiter[] = [];
  private nextId = 1;

  constructor(
    readonly budgetBytes: number,
    private readonly log: Logger,
    private readonly pressure: () => Pressure = () => 'normal',
  ) {}

  get reservedBytes(): number {
    let sum = 0;
    for (const r of this.running.values()) sum += r.bytes;
    return sum;
  }

  /** Snapshot for `status`. */
  snapshot() {
    return {
      budgetBytes: this.budgetBytes,
      reservedBytes: this.reservedBytes,
      running: [...this.running.values()].map(({ label, bytes, gpu }) => ({ label, bytes, gpu })),
      waiting: this.queue.map(({ label, bytes, gpu }) => ({ label, bytes, gpu })),
    };
  }

  /** Wait until `bytes` fit, then hold them until the returned release is called. */
  admit(label: string, bytes: number, gpu: boolean, signal?: AbortSignal): Promise<() => void> {
    return new Promise((grant, fail) => {
      const waiter: Waiter = { id: this.nextId++, label, bytes, gpu, grant, fail };
      if (signal) {
        if (signal.aborted) return fail(new Error('canceled while waiting for memory'));
        signal.addEventListener(
          'abort',
          () => {
            const i = this.queue.indexOf(waiter);
            if (i >= 0) {
              this.queue.splice(i, 1);
              fail(new Error('canceled while waiting for memory'));
            }
          },
          { once: true },
        );
      }
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** Call again when memory pressure may have eased. */
  pump(): void {
    for (let i = 0; i < this.queue.length;) {
      const w = this.queue[i]!;
      if (!this.fits(w)) {
        // Keep FIFO order for big stages so they are not starved by a stream of small ones.
        if (w.bytes > this.budgetBytes / 2) return;
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      if (w.bytes > this.budgetBytes) {
        this.log.warn(
          { stage: w.label, needMb: mb(w.bytes), budgetMb: mb(this.budgetBytes) },
          'this stage needs more memory than the whole budget; running it alone',
        );
      }
      this.running.set(w.id, w);
      let released = false;
      w.grant(() => {
        if (released) return;
        released = true;
        this.running.delete(w.id);
        this.pump();
      });
    }
  }

  private fits(w: Reservation): boolean {
    if (w.gpu && [...this.running.values()].some((r) => r.gpu)) return false;
    if (this.running.size === 0) return true; // anything may run alone, even over budget
    if (this.pressure() !== 'normal') return false;
    return this.reservedBytes + w.bytes <= this.budgetBytes;
  }
}

function mb(bytes: number): number {
  return Math.round(bytes / 1024 ** 2);
}
