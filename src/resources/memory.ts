// Total memory and the pressure level, right on macOS (sysctl) and Linux (/proc/meminfo), read without blocking the
// event loop; MemoryMonitor keeps the latest reading fresh for the scheduler. os.freemem() is wrong on macOS (it
// ignores inactive and purgeable pages), so it is never used.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { platform, totalmem } from 'node:os';
import { promisify } from 'node:util';

export type Pressure = 'normal' | 'warn' | 'critical';
export interface MemoryReading {
  totalBytes: number;
  pressure: Pressure;
}

const GiB = 1024 ** 3;

/** The default budget: min(total - max(3 GiB, 20% of total), 70% of total), never below 1 GiB. */
export function defaultBudget(totalBytes: number): number {
  return Math.max(GiB, Math.min(totalBytes - Math.max(3 * GiB, 0.2 * totalBytes), 0.7 * totalBytes));
}

/** Parse /proc/meminfo for the total. */
export function parseMeminfo(text: string): { totalBytes: number } {
  const m = /^MemTotal:\s+(\d+) kB/m.exec(text);
  if (!m) throw new Error('MemTotal missing from /proc/meminfo');
  return { totalBytes: Number(m[1]) * 1024 };
}

/** kern.memorystatus_vm_pressure_level: 1 normal, 2 warn, 4 critical. */
export function parsePressureLevel(text: string): Pressure {
  const level = Number(text.trim());
  return level >= 4 ? 'critical' : level >= 2 ? 'warn' : 'normal';
}

const run = async (cmd: string, args: string[]) =>
  (await promisify(execFile)(cmd, args, { encoding: 'utf8', timeout: 2000 })).stdout;

/** Read the machine's memory now, asynchronously. */
export async function readMemory(os: NodeJS.Platform = platform()): Promise<MemoryReading> {
  if (os === 'darwin') {
    const totalBytes = Number((await run('/usr/sbin/sysctl', ['-n', 'hw.memsize'])).trim());
    let pressure: Pressure = 'normal';
    try {
      pressure = parsePressureLevel(await run('/usr/sbin/sysctl', ['-n', 'kern.memorystatus_vm_pressure_level']));
    } catch {
      /* older macOS without the sysctl: treat as normal */
    }
    return { totalBytes, pressure };
  }
  try {
    return { ...parseMeminfo(await readFile('/proc/meminfo', 'utf8')), pressure: 'normal' };
  } catch {
    return { totalBytes: totalmem(), pressure: 'normal' };
  }
}

/** The latest memory reading, refreshed in the background so callers (the scheduler) never wait or block. */
export class MemoryMonitor {
  private reading: MemoryReading | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<MemoryReading> | undefined;

  constructor(private readonly read: () => Promise<MemoryReading> = () => readMemory()) {}

  /** Read now (one read at a time) and keep the result. */
  refresh(): Promise<MemoryReading> {
    this.refreshing ??= this.read()
      .then((r) => (this.reading = r))
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** The pressure at the latest reading; normal before the first. */
  get pressure(): Pressure {
    return this.reading?.pressure ?? 'normal';
  }

  /** Refresh every `everyMs` until stop(); a failed read keeps the previous reading. */
  start(everyMs: number): void {
    this.timer = setInterval(() => void this.refresh().catch(() => {}), everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
