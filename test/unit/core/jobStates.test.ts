import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  ACTIVE_SQL,
  FINISHED_SQL,
  isActive,
  isFinished,
  JOB_STATES,
  type JobState,
} from '../../../src/core/jobStates.js';
import { REPO } from '../../helpers/env.js';

test('every state is either active (queued, running) or finished (done, failed, canceled), never both', () => {
  assert.deepEqual(
    JOB_STATES.filter((s) => isActive(s)),
    ['queued', 'running'],
  );
  assert.deepEqual(
    JOB_STATES.filter((s) => isFinished(s)),
    ['done', 'failed', 'canceled'],
  );
  assert.equal(ACTIVE_SQL, `'queued', 'running'`);
  assert.equal(FINISHED_SQL, `'done', 'failed', 'canceled'`);
});

test("the migrations' CHECKs allow exactly the job states (they keep their own copy as history)", () => {
  const dir = join(REPO, 'src', 'store', 'sql');
  const checks = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/CHECK \(state IN \(([^)]*)\)\)/g)])
    .map((m) => m[1]!.split(',').map((s) => s.trim().replace(/'/g, '') as JobState));
  assert.ok(checks.length > 0, 'a migration checks the state');
  for (const states of checks) assert.deepEqual(states, [...JOB_STATES]);
});
