// The outbox back-off, one rule for jobs and duplicates: 5 s after the first failure, doubling, at most ten minutes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_OUTBOX_BACKOFF_MS, outboxBackoffMs } from '../../../src/core/backoff.js';

test('5 s, 10 s, 20 s ... up to ten minutes', () => {
  assert.deepEqual([1, 2, 3, 4].map(outboxBackoffMs), [5000, 10_000, 20_000, 40_000]);
  assert.equal(outboxBackoffMs(8), MAX_OUTBOX_BACKOFF_MS);
  assert.equal(outboxBackoffMs(50), MAX_OUTBOX_BACKOFF_MS);
  assert.equal(outboxBackoffMs(0), 5000);
});
