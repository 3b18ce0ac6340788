// The live feed with a fake clock: no timer while nobody listens, one look per tick, only what changed is sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChangeFeed, FEED_POLL_MS, type FeedClock, type FeedEvent } from '../../../src/ui/changeFeed.js';
import { JobPages } from '../../../src/store/jobPages.js';
import { addJob, tempStore } from '../../helpers/store.js';

function fakeClock() {
  const timers = new Map<number, () => void>();
  let next = 1;
  const clock: FeedClock = {
    setInterval: (fn, ms) => {
      assert.equal(ms, FEED_POLL_MS);
      timers.set(next, fn);
      return next++ as unknown as { unref?(): void };
    },
    clearInterval: (h) => timers.delete(h as number),
  };
  return { clock, timers, tick: () => [...timers.values()].forEach((f) => f()) };
}

test('nobody listening: no timer; a change is sent once; nothing changed: nothing sent', () => {
  let t = 1000;
  const jobs = tempStore(() => t);
  let status = '{"a":1}';
  const { clock, timers, tick } = fakeClock();
  const feed = new ChangeFeed(new JobPages(jobs.db), () => status, clock);
  assert.equal(timers.size, 0);
  const seen: FeedEvent[] = [];
  const stop = feed.subscribe((e) => seen.push(e));
  assert.equal(timers.size, 1);
  tick();
  assert.equal(seen.length, 0, 'idle: nothing is sent');
  t = 2000;
  const { job } = addJob(jobs);
  tick();
  assert.deepEqual(
    seen.map((e) => (e.type === 'jobs' ? e.jobs.map((j) => j.id) : e.type)),
    [[job.id]],
  );
  t = 3000;
  jobs.setProgress(job.id, 'transcribe', 0.5, 10);
  status = '{"a":2}';
  tick();
  tick();
  assert.equal(seen.length, 3);
  assert.deepEqual(seen[1]!.type === 'jobs' && seen[1]!.jobs[0]!.progress, 0.5);
  assert.deepEqual(seen[2], { type: 'status', status: { a: 2 } });
  stop();
  assert.equal(timers.size, 0, 'the last listener gone: the timer goes');
});
