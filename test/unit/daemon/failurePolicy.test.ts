import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_OUTBOX_BACKOFF_MS } from '../../../src/core/backoff.js';
import { failureOutcome } from '../../../src/daemon/failurePolicy.js';
import { OutboxError } from '../../../src/output/outbox.js';
import { StageError } from '../../../src/stages/stageError.js';
import type { Job } from '../../../src/store/jobs.js';
import { tempDir } from '../../helpers/env.js';
import { addJob, tempStore } from '../../helpers/store.js';

const SETTLE_MS = 30_000;
const badInput = () =>
  new StageError('bad-input', 'no audio stream', { jobId: 1, file: 'a.wav', stage: 'decode', elapsedMs: 5 });

function job(over: Partial<Job> = {}): Job {
  return { ...addJob(tempStore()).job, ...over };
}

test('a shutdown puts the job back and a cancel cancels it, whatever the error', () => {
  assert.deepEqual(failureOutcome(job(), new OutboxError('x'), 'shutdown', SETTLE_MS), { action: 'shutdown' });
  assert.deepEqual(failureOutcome(job(), badInput(), 'cancel', SETTLE_MS), { action: 'cancel' });
});

test('an outbox error is retried with a back-off that doubles per attempt up to ten minutes', () => {
  const delays = [1, 2, 3, 12].map((attempts) => {
    const end = failureOutcome(job({ attempts }), new OutboxError('read-only'), undefined, SETTLE_MS);
    assert.equal(end.action, 'retry');
    assert.equal(end.action === 'retry' && end.kind, 'outbox');
    return end.action === 'retry' ? end.delayMs : -1;
  });
  assert.deepEqual(delays, [5000, 10_000, 20_000, MAX_OUTBOX_BACKOFF_MS]);
});

test('unreadable input that changed within the settle time waits; one stable for longer fails with its report', () => {
  const input = join(tempDir(), 'arriving.wav');
  writeFileSync(input, 'half');
  const now = Date.now();
  const settling = failureOutcome(job({ input, attempts: 1 }), badInput(), undefined, SETTLE_MS, now);
  assert.equal(settling.action === 'retry' && settling.kind, 'settling');
  assert.match(settling.action === 'retry' ? settling.message : '', /may still be arriving \(no audio stream\)/);
  const later = now + 2 * SETTLE_MS; // ctime counts too, so the clock moves rather than the file's times
  const failed = failureOutcome(job({ input, attempts: 1 }), badInput(), undefined, SETTLE_MS, later);
  assert.equal(failed.action, 'fail');
  assert.equal(failed.action === 'fail' && failed.kind, 'bad-input');
});

test('a stage error fails with its kind and report; anything else is a bug', () => {
  const err = new StageError('config', 'model folder missing', {
    jobId: 1,
    file: 'a.wav',
    stage: 'transcribe',
    elapsedMs: 5,
  });
  assert.deepEqual(failureOutcome(job(), err, undefined, SETTLE_MS), {
    action: 'fail',
    kind: 'config',
    message: err.report(),
  });
  assert.deepEqual(failureOutcome(job(), new TypeError('oops'), undefined, SETTLE_MS), {
    action: 'fail',
    kind: 'bug',
    message: 'oops',
  });
});
