import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { StageEvent, StageRequest, TranscribeArtifacts } from '../../../src/core/contract.js';
import { renderContractSchema, SCHEMA_PATH } from '../../../src/cli/writeContractSchema.js';

test('the Python side reads the schema generated from contract.ts (run `npm run contract` after changing it)', () => {
  assert.equal(readFileSync(SCHEMA_PATH, 'utf8'), renderContractSchema());
});

test('requests are told apart by stage and checked field by field', () => {
  assert.ok(
    StageRequest.safeParse({
      stage: 'decode',
      jobId: '1',
      outDir: '/o',
      heartbeatSeconds: 2,
      source: '/a',
      audioStream: null,
    }).success,
  );
  assert.ok(!StageRequest.safeParse({ stage: 'decode', jobId: '1', outDir: '/o', heartbeatSeconds: 2 }).success);
  assert.ok(!StageRequest.safeParse({ stage: 'nope' }).success);
});

test('events: a result must carry an object; progress is a fraction', () => {
  assert.ok(StageEvent.safeParse({ event: 'progress', fraction: 0.5 }).success);
  assert.ok(!StageEvent.safeParse({ event: 'progress', fraction: 1.5 }).success);
  assert.ok(!StageEvent.safeParse({ event: 'result', artifacts: [1, 2], peakRssBytes: 0 }).success);
  assert.ok(!TranscribeArtifacts.safeParse({ transcript: '/t', language: 'en' }).success);
});
