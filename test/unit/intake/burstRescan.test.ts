// A burst of new files is followed by one walk of the inboxes once it goes quiet; a trickle never is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BurstRescan } from '../../../src/intake/burstRescan.js';

test('a burst of new files: one rescan after it has been quiet, with the count of events', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const walks: number[] = [];
  const burst = new BurstRescan((n) => walks.push(n), undefined, 5, 1000);
  for (let i = 0; i < 7; i++) {
    burst.note();
    t.mock.timers.tick(500); // still arriving: no walk yet
  }
  assert.deepEqual(walks, []);
  t.mock.timers.tick(1000);
  assert.deepEqual(walks, [7]);
  t.mock.timers.tick(10_000);
  assert.deepEqual(walks, [7], 'one walk a burst');
});

test('a few files (fewer than a burst) or a stopped watcher: no walk', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const walks: number[] = [];
  let trickles = 0;
  const burst = new BurstRescan(
    (n) => walks.push(n),
    () => trickles++,
    5,
    1000,
  );
  for (let i = 0; i < 4; i++) burst.note();
  t.mock.timers.tick(2000);
  assert.deepEqual([walks, trickles], [[], 1], 'a trickle settles without a walk');
  for (let i = 0; i < 6; i++) burst.note();
  burst.stop();
  t.mock.timers.tick(2000);
  assert.deepEqual(walks, []);
});
