// How many team jobs a host fetches: free slots, limited by the memory budget; an idle host always takes one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admittedJobs } from '../../../src/team/capacity.js';

const GiB = 1024 ** 3;

test('free slots bound the fetch', () => {
  assert.equal(
    admittedJobs({ concurrency: 2, running: 0, budgetBytes: 16 * GiB, reservedBytes: 0, jobPeakBytes: GiB }),
    2,
  );
  assert.equal(
    admittedJobs({ concurrency: 2, running: 1, budgetBytes: 16 * GiB, reservedBytes: GiB, jobPeakBytes: GiB }),
    1,
  );
  assert.equal(
    admittedJobs({ concurrency: 2, running: 2, budgetBytes: 16 * GiB, reservedBytes: 2 * GiB, jobPeakBytes: GiB }),
    0,
  );
});

test('the memory budget bounds the fetch', () => {
  assert.equal(
    admittedJobs({ concurrency: 4, running: 0, budgetBytes: 3 * GiB, reservedBytes: 0, jobPeakBytes: 1.2 * GiB }),
    2,
  );
  assert.equal(
    admittedJobs({ concurrency: 4, running: 1, budgetBytes: 3 * GiB, reservedBytes: 2.5 * GiB, jobPeakBytes: GiB }),
    0,
  );
});

test('an idle host takes one job even when the job is bigger than its budget (it runs alone)', () => {
  assert.equal(
    admittedJobs({ concurrency: 2, running: 0, budgetBytes: GiB, reservedBytes: 0, jobPeakBytes: 4 * GiB }),
    1,
  );
});
