import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  defaultBudget,
  MemoryMonitor,
  parseMeminfo,
  parsePressureLevel,
  readMemory,
  type MemoryReading,
} from '../../../src/resources/memory.js';

const GiB = 1024 ** 3;

test('default budget: min(total - max(3 GiB, 20%), 70%)', () => {
  assert.equal(defaultBudget(8 * GiB), 5 * GiB);
  assert.equal(defaultBudget(16 * GiB), 11.2 * GiB);
  assert.equal(defaultBudget(64 * GiB), 44.8 * GiB);
  assert.equal(defaultBudget(2 * GiB), GiB, 'never below 1 GiB');
});

test('Linux /proc/meminfo', async () => {
  const m = parseMeminfo('MemTotal:       16000000 kB\nMemFree:  1000 kB\nMemAvailable:    8000000 kB\n');
  assert.deepEqual(m, { totalBytes: 16000000 * 1024 });
  assert.ok((await readMemory('linux')).totalBytes > GiB);
});

test('macOS memory pressure level', () => {
  assert.equal(parsePressureLevel('1\n'), 'normal');
  assert.equal(parsePressureLevel('2'), 'warn');
  assert.equal(parsePressureLevel('4'), 'critical');
});

test('the monitor answers from its latest reading, reads one at a time, and keeps the last good reading', async () => {
  const readings: MemoryReading[] = [
    { totalBytes: GiB, pressure: 'warn' },
    { totalBytes: GiB, pressure: 'normal' },
  ];
  let reads = 0;
  let fail = false;
  const monitor = new MemoryMonitor(async () => {
    reads++;
    if (fail) throw new Error('sysctl failed');
    return readings.shift()!;
  });
  assert.equal(monitor.pressure, 'normal', 'normal before the first reading');
  await Promise.all([monitor.refresh(), monitor.refresh()]);
  assert.equal(reads, 1, 'a refresh in flight is shared');
  assert.equal(monitor.pressure, 'warn');
  await monitor.refresh();
  assert.equal(monitor.pressure, 'normal');
  fail = true;
  await assert.rejects(monitor.refresh());
  assert.equal(monitor.pressure, 'normal', 'the previous reading stays');
});
