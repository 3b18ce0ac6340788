// The store the database opens into: the jobs table with each store of its own beside it, on one clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobTable } from '../../../src/store/jobTable.js';
import { addJob, tempStore } from '../../helpers/store.js';

test('the store is the jobs table, and its own stores share its database and clock', () => {
  let now = 1000;
  const store = tempStore(() => now);
  assert.ok(store instanceof JobTable);
  const { job } = addJob(store, '/in/a.wav', {}, 'same');
  addJob(store, '/in/b.wav', {}, 'same');
  assert.deepEqual(
    store.duplicates.of(job.id).map((d) => d.input),
    ['/in/b.wav'],
    'the table enqueued the duplicate through the same store',
  );
  now = 2000;
  assert.equal(store.refusals.record({ path: '/in/x', inbox: '/in', reason: 'r' })?.at, 2000);
});
