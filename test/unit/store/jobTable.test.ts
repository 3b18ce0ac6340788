// The jobs table: enqueue with duplicates, claim and back-off, the ends of a job, leases, and the table on its own
// with only the two stores its statements use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../../src/config/config.js';
import { openDb } from '../../../src/store/db.js';
import { DuplicateStore } from '../../../src/store/duplicateStore.js';
import { JobTable } from '../../../src/store/jobTable.js';
import { SearchIndex } from '../../../src/store/searchIndex.js';
import { tempDir } from '../../helpers/env.js';
import { addJob, keptDocument, tempStore } from '../../helpers/store.js';

test('enqueue dedupes by content hash into a duplicate row; a canceled original is queued again', () => {
  const s = tempStore();
  const a = addJob(s, '/in/a.wav', {}, 'same');
  assert.equal(a.status, 'queued');
  const b = addJob(s, '/in/b.wav', {}, 'same');
  assert.deepEqual([b.status, b.job.duplicateOf, b.job.input], ['duplicate', a.job.id, '/in/b.wav']);
  assert.equal(s.cancel(a.job.id), 'canceled');
  const again = addJob(s, '/in/c.wav', {}, 'same');
  assert.equal(again.status, 'requeued');
  assert.equal(again.job.id, a.job.id);
  assert.equal(again.job.input, '/in/c.wav');
});

test('claim takes the oldest ready job, respects backoff, and counts attempts', () => {
  let now = 1000;
  const s = tempStore(() => now);
  const a = addJob(s).job;
  const b = addJob(s).job;
  const c1 = s.claimNext('me', 60_000)!;
  assert.equal(c1.id, a.id);
  assert.equal(c1.state, 'running');
  assert.equal(c1.attempts, 1);
  s.requeue(a.id, 5000, { message: 'outbox read-only', kind: 'outbox' });
  assert.equal(s.claimNext('me', 60_000)!.id, b.id);
  assert.equal(s.claimNext('me', 60_000), undefined, 'a is backing off');
  now += 5001;
  assert.equal(s.claimNext('me', 60_000)!.attempts, 2);
});

test('complete, fail, retry and the cancel of a running job', () => {
  const s = tempStore();
  const j = addJob(s).job;
  s.claimNext('me', 1000);
  assert.equal(s.cancel(j.id), 'requested');
  assert.ok(s.isCancelRequested(j.id));
  s.markCanceled(j.id);
  assert.equal(s.get(j.id)!.state, 'canceled');
  assert.equal(s.retry(j.id)!.state, 'queued');
  s.claimNext('me', 1000);
  s.fail(j.id, 'boom', 'bug', ['/out/x.error.txt']);
  assert.deepEqual(
    [s.get(j.id)!.state, s.get(j.id)!.error, s.get(j.id)!.outputs],
    ['failed', 'boom', ['/out/x.error.txt']],
  );
  s.retry(j.id);
  s.claimNext('me', 1000);
  s.complete(j.id, ['/out/x.srt'], ['fell back']);
  const done = s.get(j.id)!;
  assert.deepEqual(
    [done.state, done.error, done.outputs, done.degraded],
    ['done', null, ['/out/x.srt'], ['fell back']],
  );
  assert.equal(s.cancel(j.id), 'not-active');
});

test('stale leases are reaped; every running job is requeued at start-up', () => {
  let now = 0;
  const s = tempStore(() => now);
  addJob(s);
  addJob(s);
  s.claimNext('a', 1000);
  s.claimNext('b', 10_000);
  now = 5000;
  assert.equal(s.reapStaleLeases(), 1);
  assert.equal(s.requeueAllRunning(), 1);
  assert.equal(s.countByState().queued, 2);
});

test('a lease that ran out while the machine slept is not reaped from a job this daemon still runs', () => {
  let now = 0;
  const s = tempStore(() => now);
  const a = addJob(s).job;
  addJob(s);
  s.claimNext('me', 1000);
  s.claimNext('me', 1000);
  now = 300_000;
  assert.equal(s.reapStaleLeases(new Set([a.id])), 1, 'only the job not running here');
  assert.equal(s.get(a.id)!.state, 'running');
});

test('a table made from just its database, duplicates and search index queues, dedupes and indexes what completed', () => {
  const db = openDb(join(tempDir(), 'jobs.db'));
  const search = new SearchIndex(db);
  const jobs = new JobTable({ db, duplicates: new DuplicateStore(db), search, now: () => 5 });
  const file = (input: string) => ({
    input,
    inbox: '/in',
    relPath: input.slice(4),
    outputStem: `/out/${input.slice(4, -4)}`,
    sha256: 'same',
    size: 1,
    mtimeMs: 1,
    settings: DEFAULT_SETTINGS,
  });
  const original = jobs.enqueue(file('/in/a.wav')).job;
  assert.equal(jobs.enqueue(file('/in/b.wav')).job.duplicateOf, original.id);
  assert.equal(jobs.claimNext('me', 1000)?.startedAt, 5);
  jobs.complete(original.id, [], [], [], keptDocument('ask not'));
  assert.deepEqual(
    search.search('ask').map((h) => h.jobId),
    [original.id],
  );
});
