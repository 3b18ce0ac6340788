// Counts by state: counted again when a job changes or when they are old, not on every request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobPages } from '../../../src/store/jobPages.js';
import { COUNTS_MAX_AGE_MS, CountsCache } from '../../../src/ui/countsCache.js';
import { addJob, tempStore } from '../../helpers/store.js';

test('a change counts again; nothing changed: the cached counts until they are old', () => {
  let t = 1;
  const jobs = tempStore(() => t);
  let counted = 0;
  const count = jobs.countByState.bind(jobs);
  jobs.countByState = () => (counted++, count());
  const cache = new CountsCache(jobs, new JobPages(jobs.db), () => t);
  assert.equal(cache.get().queued, 0);
  t = 2;
  const { job } = addJob(jobs);
  t = 3;
  addJob(jobs);
  assert.equal(cache.get().queued, 2);
  assert.equal(cache.get().queued, 2);
  assert.equal(counted, 2);
  jobs.db.prepare('DELETE FROM jobs WHERE id = ?').run(job.id); // housekeeping: the latest change stays the same
  assert.equal(cache.get().queued, 2, 'still cached');
  t += COUNTS_MAX_AGE_MS + 1;
  assert.equal(cache.get().queued, 1);
  assert.equal(counted, 3);
});
