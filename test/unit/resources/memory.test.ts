import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultBudget, parseMeminfo, parsePressureLevel, parseVmStat, readMemory } from '../../../src/resources/memory.js';

const GiB = 1024 ** 3;

test('default budget: min(total - max(3 GiB, 20%), 70%)', () => {
  assert.equal(defaultBudget(8 * GiB), 5 * GiB);
  assert.equal(defaultBudget(16 * GiB), 11.2 * GiB);
  assert.equal(defaultBudget(64 * GiB), 44.8 * GiB);
  assert.equal(defaultBudget(2 * GiB), GiB, 'never below 1 GiB');
});

test('Linux /proc/meminfo', () => {
  const m = parseMeminfo('MemTotal:       16000000 kB\nMemFree:  1000 kB\nMemAvailable:    8000000 kB\n');
  assert.deepEqual(m, { totalBytes: 16000000 * 1024, availableBytes: 8000000 * 1024 });
  assert.ok(readMemory('linux').totalBytes > GiB);
});

test('macOS vm_stat counts free, inactive, speculative and purgeable pages', () => {
  const text = `Mach Virtual Memory Statistics: (page size of 16384 bytes)
Pages free:                               10000.
Pages active:                            500000.
Pages inactive:                           20000.
Pages speculative:                         3000.
Pages throttled:                              0.
Pages wired down:                        100000.
Pages purgeable:                           1000.`;
  assert.equal(parseVmStat(text), (10000 + 20000 + 3000 + 1000) * 16384);
});

test('macOS memory pressure level', () => {
  assert.equal(parsePressureLevel('1\n'), 'normal');
  assert.equal(parsePressureLevel('2'), 'warn');
  assert.equal(parsePressureLevel('4'), 'critical');
});
