import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../../src/platform/log.js';
import { learnedPeak, tablePeak } from '../../../src/resources/peaks.js';
import { MemoryScheduler } from '../../../src/resources/scheduler.js';

/** Let every promise already settled run its callbacks: what has not happened by then was not going to happen. */
const flushed = () => new Promise((resolve) => setImmediate(resolve));

/** Ask for a slot without waiting for it: `given()` says whether it has been admitted yet, `slot` gives its release. */
function request(s: MemoryScheduler, name: string, bytes: number, gpu: boolean) {
  let given = false;
  const slot = s.admit(name, bytes, gpu).then((release) => {
    given = true;
    return release;
  });
  return { slot, given: () => given };
}

test('a burst of stages with declared peaks never exceeds the budget, and all of them run', async () => {
  const budget = 1000;
  const s = new MemoryScheduler(budget, silentLogger);
  let reserved = 0;
  let maxReserved = 0;
  let finished = 0;
  const peaks = Array.from({ length: 60 }, (_, i) => [100, 250, 400, 600, 50][i % 5]!);
  await Promise.all(
    peaks.map(async (peak, i) => {
      const release = await s.admit(`stage ${i}`, peak, false);
      reserved += peak;
      maxReserved = Math.max(maxReserved, reserved);
      assert.ok(s.reservedBytes <= budget);
      for (let turn = 0; turn < 1 + (i % 7); turn++) await flushed(); // hold the slot a while, each stage its own
      reserved -= peak;
      release();
      finished++;
    }),
  );
  assert.equal(finished, peaks.length);
  assert.ok(maxReserved <= budget, `max reserved ${maxReserved}`);
  assert.ok(maxReserved > 600, 'stages did run side by side');
  assert.equal(s.reservedBytes, 0);
});

test('at most one GPU stage at a time', async () => {
  const s = new MemoryScheduler(10_000, silentLogger);
  const r1 = await s.admit('mlx 1', 10, true);
  const second = request(s, 'mlx 2', 10, true);
  const cpu = await s.admit('cpu', 10, false);
  await flushed();
  assert.equal(second.given(), false);
  r1();
  (await second.slot)();
  assert.equal(second.given(), true);
  cpu();
});

test('a stage bigger than the budget runs alone', async () => {
  const s = new MemoryScheduler(100, silentLogger);
  const small = await s.admit('small', 10, false);
  const big = request(s, 'big', 500, false);
  await flushed();
  assert.equal(big.given(), false, 'waits for the running stage');
  small();
  const release = await big.slot;
  assert.equal(big.given(), true);
  const other = request(s, 'other', 10, false);
  await flushed();
  assert.equal(other.given(), false, 'nothing runs beside it');
  release();
  (await other.slot)();
});

test('under memory pressure only one stage runs', async () => {
  const s = new MemoryScheduler(10_000, silentLogger, () => 'warn');
  const a = await s.admit('a', 10, false);
  const b = request(s, 'b', 10, false);
  await flushed();
  assert.equal(b.given(), false);
  a();
  (await b.slot)();
});

test('an aborted waiter leaves the queue', async () => {
  const s = new MemoryScheduler(100, silentLogger);
  const a = await s.admit('a', 100, false);
  const ctl = new AbortController();
  const p = s.admit('b', 100, false, ctl.signal);
  ctl.abort();
  await assert.rejects(p, /canceled/);
  assert.equal(s.snapshot().waiting.length, 0);
  a();
});

test('peaks: table guesses by model size, learned p95 x 1.25 after three runs', () => {
  assert.ok(
    tablePeak('transcribe', 'faster-whisper', 'large-v3') > tablePeak('transcribe', 'faster-whisper', 'tiny.en'),
  );
  assert.ok(tablePeak('transcribe', 'mlx', 'small') > tablePeak('transcribe', 'faster-whisper', 'small'));
  assert.equal(learnedPeak([100, 200]), undefined);
  assert.equal(learnedPeak([100, 200, 400]), 500);
});
