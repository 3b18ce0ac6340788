import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_OUTBOX_BACKOFF_MS } from '../../../src/core/backoff.js';
import { failureOutcome } from '../../../src/daemon/failurePolicy.js';
import { OutboxError } from '../../../src/output/outbox.js';
import { OutputRefusedError } from '../../../src/output/outboxError.js';
import { StageError } from '../../../src/stages/stageError.js';
import type { Job } from '../../../src/store/jobs.js';
import { tempDir } from '../../helpers/env.js';
import { addJob, tempStore } from '../../helpers/store.js';

const SETTLE_MS = 30_000;
const DATA = '/data';
const badInput = () =>
  new StageError('bad-input', 'no audio stream', { jobId: 1, file: 'a.wav', stage: 'decode', elapsedMs: 5 });

function job(over: Partial<Job> = {}): Job {
  return { ...addJob(tempStore()).job, ...over };
}

test('a shutdown puts the job back and a cancel cancels it, whatever the error', () => {
  assert.deepEqual(
    failureOutcome(job(), new OutboxError('missing', '/out'), { stop: 'shutdown', settleMs: SETTLE_MS, dataDir: DATA }),
    { action: 'shutdown' },
  );
  assert.deepEqual(failureOutcome(job(), badInput(), { stop: 'cancel', settleMs: SETTLE_MS, dataDir: DATA }), {
    action: 'cancel',
  });
});

test('an outbox error is retried with a back-off that doubles per attempt up to ten minutes', () => {
  const delays = [1, 2, 3, 12].map((attempts) => {
    const end = failureOutcome(job({ attempts }), new OutboxError('read-only', '/out'), {
      stop: undefined,
      settleMs: SETTLE_MS,
      dataDir: DATA,
    });
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
  const settling = failureOutcome(job({ input, attempts: 1 }), badInput(), {
    stop: undefined,
    settleMs: SETTLE_MS,
    dataDir: DATA,
    now,
  });
  assert.equal(settling.action === 'retry' && settling.kind, 'settling');
  assert.match(settling.action === 'retry' ? settling.message : '', /may still be arriving \(no audio stream\)/);
  const later = now + 2 * SETTLE_MS; // ctime counts too, so the clock moves rather than the file's times
  const failed = failureOutcome(job({ input, attempts: 1 }), badInput(), {
    stop: undefined,
    settleMs: SETTLE_MS,
    dataDir: DATA,
    now: later,
  });
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
  assert.deepEqual(failureOutcome(job(), err, { stop: undefined, settleMs: SETTLE_MS, dataDir: DATA }), {
    action: 'fail',
    kind: 'config',
    message: err.report(),
  });
  assert.deepEqual(
    failureOutcome(job(), new TypeError('oops'), { stop: undefined, settleMs: SETTLE_MS, dataDir: DATA }),
    {
      action: 'fail',
      kind: 'bug',
      message: 'oops',
    },
  );
});

test('a full disk, whoever met it (a stage, SQLite, a file write), makes the job wait with the reason and the fix', () => {
  const stageFull = new StageError('disk-full', 'the disk is full while decoding', {
    jobId: 1,
    file: 'a.wav',
    stage: 'decode',
    elapsedMs: 5,
  });
  const sqliteFull = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  const writeFull = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  for (const err of [stageFull, sqliteFull, writeFull]) {
    const end = failureOutcome(job({ attempts: 2 }), err, { stop: undefined, settleMs: SETTLE_MS, dataDir: DATA });
    assert.equal(end.action === 'retry' && end.kind, 'disk-full', err.message);
    assert.equal(end.action === 'retry' && end.delayMs, 10_000);
    assert.match(end.action === 'retry' ? end.message : '', /data folder \/data is full .*Free some space/);
  }
});

test('a write refused because it would go through a link out of the outbox fails as a setup problem, not a bug', () => {
  const err = new OutputRefusedError('/out/linked/a.srt', '/out', 'linked is a link to /elsewhere');
  assert.deepEqual(failureOutcome(job(), err, { stop: undefined, settleMs: SETTLE_MS, dataDir: DATA }), {
    action: 'fail',
    kind: 'config',
    message: err.message,
  });
});
