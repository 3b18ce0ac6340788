// When a decode failure is retried quietly instead of reported: while the file changed recently (it may still be
// arriving), with a back-off, until it has been stable for the settle time.
import assert from 'node:assert/strict';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lastChangeMs, settleRetryDelay, settlingRetry } from '../../../src/daemon/decodeRetry.js';
import { StageError } from '../../../src/stages/stageError.js';
import type { Job } from '../../../src/store/jobs.js';
import { tempDir } from '../../helpers/env.js';

test('a decode failure is retried quietly, with a back-off, until the file has been stable for the settle time', () => {
  const settle = 180_000;
  const changed = 1_000_000;
  assert.equal(settleRetryDelay({ lastChangeMs: changed, now: changed + 1000, settleMs: settle, attempts: 1 }), 2000);
  assert.equal(settleRetryDelay({ lastChangeMs: changed, now: changed + 1000, settleMs: settle, attempts: 4 }), 16_000);
  assert.equal(
    settleRetryDelay({ lastChangeMs: changed, now: changed + 170_000, settleMs: settle, attempts: 8 }),
    10_000,
    'the last retry lands when it has been stable long enough',
  );
  assert.equal(
    settleRetryDelay({ lastChangeMs: changed, now: changed + settle, settleMs: settle, attempts: 9 }),
    undefined,
    'stable for the settle time: report it',
  );
  assert.equal(
    settleRetryDelay({ lastChangeMs: undefined, now: changed, settleMs: settle, attempts: 1 }),
    undefined,
    'gone: report it',
  );
  assert.equal(lastChangeMs({ mtimeMs: 5, ctimeMs: 9 }), 9, 'a copy keeps the old mtime; ctime tells');
});

test('the daemon policy: only bad input of a recently changed file is retried quietly', () => {
  const file = join(tempDir(), 'half.m4a');
  writeFileSync(file, 'moov atom not found yet');
  const job = { input: file, attempts: 1 } as Job;
  const bad = new StageError('bad-input', 'not a readable audio or video file', {
    jobId: 1,
    file,
    stage: 'decode',
    elapsedMs: 1,
  });
  const retry = settlingRetry({ job, err: bad, settleMs: 180_000 });
  assert.ok(retry && retry.delayMs > 0 && /may still be arriving/.test(retry.message));
  assert.equal(
    settlingRetry({
      job,
      err: new StageError('config', 'no model', { jobId: 1, file, stage: 'transcribe', elapsedMs: 1 }),
      settleMs: 180_000,
    }),
    undefined,
  );
  assert.equal(
    settlingRetry({ job, err: bad, settleMs: 180_000, now: Date.now() + 181_000 }),
    undefined,
    'stable long enough',
  );
  utimesSync(file, new Date(0), new Date(0));
  assert.ok(
    settlingRetry({ job, err: bad, settleMs: 180_000 }),
    'an old mtime set by a copy does not hide the recent change (ctime)',
  );
  assert.equal(
    settlingRetry({ job: { ...job, input: join(tempDir(), 'gone.m4a') }, err: bad, settleMs: 180_000 }),
    undefined,
  );
});
