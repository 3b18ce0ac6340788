import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addJob, tempStore } from '../../helpers/store.js';

test('a refusal is recorded once per path with its time; its report is attached; newest first', () => {
  let now = 1000;
  const s = tempStore(() => now);
  const link = s.refusals.record({ path: '/in/link.wav', inbox: '/in', reason: 'points outside the inbox' })!;
  assert.deepEqual(link, {
    id: link.id,
    path: '/in/link.wav',
    inbox: '/in',
    reason: 'points outside the inbox',
    report: null,
    at: 1000,
  });
  now = 2000;
  assert.equal(s.refusals.record({ path: '/in/link.wav', inbox: '/in', reason: 'again' }), undefined);
  s.refusals.record({ path: '/in/folder.mp3', inbox: '/in', reason: 'is a folder' });
  s.refusals.setReport(link.id, '/out/link.error.txt');
  assert.deepEqual(
    s.refusals.list().map((r) => [r.path, r.report]),
    [
      ['/in/folder.mp3', null],
      ['/in/link.wav', '/out/link.error.txt'],
    ],
  );
  assert.equal(s.list().length, 0, 'refusals are not jobs');
});

test('retention drops refusals older than the limit, and the jobs table its finished jobs', () => {
  let now = 1000;
  const s = tempStore(() => now);
  s.refusals.record({ path: '/in/old.wav', inbox: '/in', reason: 'x' });
  const job = addJob(s).job;
  s.claimNext('me', 1000);
  s.fail(job.id, 'broken', 'bad-input');
  now = 5000;
  s.refusals.record({ path: '/in/new.wav', inbox: '/in', reason: 'x' });
  assert.equal(s.refusals.deleteBefore(3000), 1);
  assert.equal(s.deleteFinishedBefore(3000), 1);
  assert.deepEqual(
    s.refusals.list().map((r) => r.path),
    ['/in/new.wav'],
  );
});
