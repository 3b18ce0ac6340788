// Paged reads for the web page: newest first, the next page before an id, a state filter, changes since a moment.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobPages } from '../../../src/store/jobPages.js';
import { addJob, tempStore } from '../../helpers/store.js';

test('pages, filter and changes', () => {
  let t = 1;
  const jobs = tempStore(() => t);
  const ids = Array.from({ length: 5 }, () => {
    t++;
    return addJob(jobs).job.id;
  });
  const pages = new JobPages(jobs.db);
  assert.deepEqual(
    pages.page({ limit: 2 }).map((j) => j.id),
    [ids[4], ids[3]],
  );
  assert.deepEqual(
    pages.page({ limit: 2, beforeId: ids[3] }).map((j) => j.id),
    [ids[2], ids[1]],
  );
  jobs.cancel(ids[1]!);
  assert.deepEqual(
    pages.page({ limit: 9, state: 'canceled' }).map((j) => j.id),
    [ids[1]],
  );
  t = 100;
  jobs.setProgress(ids[0]!, 'decode', 0.1, null);
  assert.equal(pages.lastChange(), 100);
  assert.deepEqual(
    pages.changedSince(99).map((j) => j.id),
    [ids[0]],
  );
});
