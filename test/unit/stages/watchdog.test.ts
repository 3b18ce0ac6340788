// Stall and timeout limits in awake time: a frozen daemon (sleep, SIGSTOP) is not a silent stage. Fake clock only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwakeClock, MAX_TICK_CREDIT_MS, RequestWatch, TICK_MS } from '../../../src/stages/watchdog.js';

function fakeClock() {
  let t = 1_000_000;
  const clock = new AwakeClock(() => t);
  /** Let `ms` pass in ticks that come on time. */
  const run = (ms: number) => {
    for (let left = ms; left > 0; left -= TICK_MS) {
      t += Math.min(TICK_MS, left);
      clock.tick();
    }
  };
  /** The whole daemon freezes for `ms`; the next tick sees the gap. */
  const freeze = (ms: number) => {
    t += ms;
    return clock.tick();
  };
  return { clock, run, freeze };
}

test('a stage silent for longer than the stall limit while the daemon runs is stalled', () => {
  const { clock, run } = fakeClock();
  const watch = new RequestWatch(clock, 20_000, 600_000);
  run(19_750);
  assert.equal(watch.verdict(), undefined);
  run(500);
  assert.equal(watch.verdict()?.kind, 'stalled');
  assert.match(watch.verdict()!.message, /no heartbeat for 20 s/);
});

test('a 35 s freeze of the whole daemon does not count: the stage that beats again right after is not stalled', () => {
  const { clock, run, freeze } = fakeClock();
  const watch = new RequestWatch(clock, 20_000, 600_000);
  run(1_000);
  watch.heard();
  run(400);
  const frozen = freeze(35_000);
  assert.equal(frozen, 35_000 - MAX_TICK_CREDIT_MS, 'the gap beyond one tick credit is reported as frozen');
  assert.equal(watch.verdict(), undefined, 'not stalled on waking');
  run(500);
  watch.heard(); // its heartbeat, buffered in the pipe, is read after the tick
  run(19_000);
  assert.equal(watch.verdict(), undefined);
});

test('a stage that stays silent after the daemon wakes is still stalled, counting only awake time', () => {
  const { clock, run, freeze } = fakeClock();
  const watch = new RequestWatch(clock, 20_000, 600_000);
  run(5_000);
  freeze(60_000);
  run(12_000);
  assert.equal(watch.verdict(), undefined, '5 + 2 + 12 s awake');
  run(1_500);
  assert.equal(watch.verdict()?.kind, 'stalled');
});

test('the overall time limit counts awake time too', () => {
  const { clock, run, freeze } = fakeClock();
  const watch = new RequestWatch(clock, 20_000, 30_000);
  for (let i = 0; i < 4; i++) {
    run(5_000);
    watch.heard();
    freeze(120_000);
  }
  assert.equal(watch.verdict(), undefined, '4 x (5 s awake + a 2 s tick credit) = 28 s, after 8 minutes of wall time');
  run(2_500);
  watch.heard();
  assert.equal(watch.verdict()?.kind, 'timeout');
  assert.match(watch.verdict()!.message, /limit of 30 s/);
});

test('ticks that come on time report no freeze', () => {
  const { clock, run } = fakeClock();
  run(10_000);
  assert.equal(clock.awakeMs, 10_000);
  assert.equal(clock.tick(), 0);
});
