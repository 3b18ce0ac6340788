// The input stamp against the file now: the same, changed (grew, re-saved) or gone (moved away, deleted).
import assert from 'node:assert/strict';
import { appendFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { changedSinceIntake, inputState } from '../../../src/platform/inputStamp.js';
import { tempDir } from '../../helpers/env.js';

test('a job whose input grew or was re-saved since intake is not published; one whose input was moved away is', () => {
  const file = join(tempDir(), 'talk.mp3');
  writeFileSync(file, 'first half');
  const st = statSync(file);
  const job = { input: file, size: st.size, mtimeMs: Math.round(st.mtimeMs) };
  assert.equal(changedSinceIntake(job), false);
  appendFileSync(file, ' and the second half');
  assert.equal(changedSinceIntake(job), true);
  assert.equal(changedSinceIntake({ ...job, input: join(tempDir(), 'moved.mp3') }), false);
});

test('the state of an input: same, changed (size or modification time), gone', () => {
  const file = join(tempDir(), 'talk.wav');
  writeFileSync(file, 'recording');
  const st = statSync(file);
  const stamp = { input: file, size: st.size, mtimeMs: Math.round(st.mtimeMs) };
  assert.equal(inputState(stamp), 'same');
  assert.equal(inputState({ ...stamp, mtimeMs: stamp.mtimeMs - 1000 }), 'changed', 're-saved with the same size');
  rmSync(file);
  assert.equal(inputState(stamp), 'gone');
});
