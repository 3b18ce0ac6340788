// Total and available memory, right on macOS (sysctl, vm_stat, pressure level) and Linux (/proc/meminfo).
// os.freemem() is wrong on macOS (it ignores inactive and purgeable pages), so it is never used.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { platform, totalmem } from 'node:os';

export type Pressure = 'normal' | 'warn' | 'critical';
export interface MemoryReading {
  totalBytes: number;
  availableBytes: number;
  pressure: Pressure;
}

const GiB = 1024 ** 3;

/** The default budget: min(total - max(3 GiB, 20% of total), 70% of total), never below 1 GiB. */
export function defaultBudget(totalBytes: number): number {
  return Math.max(GiB, Math.min(totalBytes - Math.max(3 * GiB, 0.2 * totalBytes), 0.7 * totalBytes));
}

/** Parse /proc/meminfo into total and available bytes. */
export function parseMeminfo(text: string): { totalBytes: number; availableBytes: number } {
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const total = kb('MemTotal');
  if (total === undefined) throw new Error('MemTotal missing from /proc/meminfo');
  const available = kb('MemAvailable') ?? (kb('MemFree') ?? 0) + (kb('Cached') ?? 0);
  return { totalBytes: total, availableBytes: available };
}

/** Parse macOS `vm_stat`: free, inactive, speculative and purgeable pages can be handed out without swapping. */
export function parseVmStat(text: string): number {
  const pageSize = Number(/page size of (\d+) bytes/.exec(text)?.[1] ?? 16384);
  const pages = (label: string) => Number(new RegExp(`^${label}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return (pages('Pages free') + pages('Pages inactive') + pages('Pages speculative') + pages('Pages purgeable')) * pageSize;
}

/** kern.memorystatus_vm_pressure_level: 1 normal, 2 warn, 4 critical. */
export function parsePressureLevel(text: string): Pressure {
  const level = Number(text.trim());
  return level >= 4 ? 'critical' : level >= 2 ? 'warn' : 'normal';
}

/** Read the machine's memory now. */
export function readMemory(os: NodeJS.Platform = platform()): MemoryReading {
  if (os === 'darwin') {
    const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', timeout: 2000 });
    const totalBytes = Number(run('/usr/sbin/sysctl', ['-n', 'hw.memsize']).trim());
    const availableBytes = parseVmStat(run('/usr/bin/vm_stat', []));
    let pressure: Pressure = 'normal';
    try {
      pressure = parsePressureLevel(run('/usr/sbin/sysctl', ['-n', 'kern.memorystatus_vm_pressure_level']));
    } catch {
      /* older macOS without the sysctl: treat as normal */
    }
    return { totalBytes, availableBytes, pressure };
  }
  try {
    return { ...parseMeminfo(readFileSync('/proc/meminfo', 'utf8')), pressure: 'normal' };
  } catch {
    return { totalBytes: totalmem(), availableBytes: totalmem() / 2, pressure: 'normal' };
  }
}
