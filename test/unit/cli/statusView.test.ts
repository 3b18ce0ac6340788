import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statusJson, statusText } from '../../../src/cli/statusView.js';
import { tempDir } from '../../helpers/env.js';
import { addJob, tempStore } from '../../helpers/store.js';

test('status lists jobs and, apart from them, the inputs refused at intake with their reports', () => {
  const jobs = tempStore(() => 42);
  addJob(jobs, '/in/talk.wav');
  const r = jobs.refusals.record({ path: '/in/link.wav', inbox: '/in', reason: 'the link points outside the inbox' })!;
  jobs.refusals.setReport(r.id, '/out/link.error.txt');
  const dataDir = tempDir();
  const json = statusJson({ jobs, refusals: jobs.refusals }, dataDir, 50);
  assert.deepEqual(
    json.jobs.map((j) => j.input),
    ['/in/talk.wav'],
  );
  assert.deepEqual(json.refused, [
    {
      path: '/in/link.wav',
      inbox: '/in',
      reason: 'the link points outside the inbox',
      report: '/out/link.error.txt',
      at: 42,
    },
  ]);
  assert.deepEqual(json.counts, { queued: 1, running: 0, done: 0, failed: 0, canceled: 0 });
  const text = statusText({ jobs, refusals: jobs.refusals }, dataDir, 50);
  assert.match(
    text,
    /refused \(never read\): 1\n {2}\/in\/link\.wav\n {6}the link points outside the inbox\n {6}-> \/out\/link\.error\.txt$/,
  );
  const empty = tempStore();
  assert.doesNotMatch(
    statusText({ jobs: empty, refusals: empty.refusals }, dataDir, 50),
    /refused/,
    'no section without refusals',
  );
});
